using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Security;
using SocialCrm.Channels.Webhooks;
using SocialCrm.Grains;
using SocialCrm.Grains.Conversations;
using SocialCrm.Host.Hosting;

namespace SocialCrm.Host.Api;

public sealed record PlatformWebhookResponse(int Accepted, int Duplicates, int Skipped);

/// <summary>The answer to X's challenge-response check.</summary>
public sealed record XChallengeResponse([property: JsonPropertyName("response_token")] string ResponseToken);

/// <summary>
/// The platforms' own webhooks: no bearer key, the platform's signature over the raw body is the
/// proof, checked against the channel's secret before anything is read. Every message of a body
/// takes the inbound path and is durable before the 200: a platform that gets no 200 sends the
/// body again, and the log's idempotency keys store each message once.
/// </summary>
public static class PlatformWebhooksApi
{
    public static void MapPlatformWebhooksApi(this IEndpointRouteBuilder app)
    {
        var route = app.MapGroup("/webhooks/{platform}/{brandId}/{channelId}").AllowAnonymous().RequireRateLimiting(RateLimits.ChannelPolicy);
        route.MapGet("/", Handshake).Produces<string>(200, "text/plain").ProducesProblem(403).ProducesProblem(404);
        route.MapPost("/", Receive).ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(413).ProducesProblem(429);
    }

    /// <summary>Meta's subscription check (<c>hub.*</c>) and X's challenge-response check (<c>crc_token</c>), answered by the channel.</summary>
    private static async Task<Results<Ok<XChallengeResponse>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> Handshake(
        string platform, string brandId, string channelId, HttpRequest request, GrainReferences grains)
    {
        BrandContext.Set(brandId);
        if (Channel(platform, brandId, channelId, grains) is not (var expected, var channel)) return Problems.NotFound("Channel");
        var outcome = await channel.AnswerChallenge(new PlatformChallenge(expected, request.Query["crc_token"], request.Query["hub.mode"],
            request.Query["hub.verify_token"], request.Query["hub.challenge"]));
        return ResultsOf.Map(outcome, answer => answer.Platform == Platform.X
            ? (Results<Ok<XChallengeResponse>, ContentHttpResult>)TypedResults.Ok(new XChallengeResponse(answer.Answer))
            : TypedResults.Text(answer.Answer, "text/plain"));
    }

    private static async Task<Results<Ok<PlatformWebhookResponse>, ProblemHttpResult, ValidationProblem>> Receive(
        string platform, string brandId, string channelId, HttpRequest request, GrainReferences grains, InboundPipeline inbound, ILoggerFactory loggers)
    {
        // No key names a brand here: the route does, and only this channel of it is read before the signature is checked.
        // (Set here, not in a method awaited below: the request context of an awaited method does not flow back.)
        BrandContext.Set(brandId);
        if (Channel(platform, brandId, channelId, grains) is not (var expected, var channel)) return Problems.NotFound("Channel");
        var logger = loggers.CreateLogger(typeof(PlatformWebhooksApi));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        // The channel checks the signature with its secret, which never leaves it.
        var header = request.Headers[expected == Platform.X ? PlatformInbound.XSignatureHeader : PlatformInbound.MetaSignatureHeader].ToString();
        var verified = await channel.VerifyWebhook(new PlatformSignature(expected, header, body));
        if (verified.Refusal is { } refusal) return Problems.Refused(refusal);

        List<SocialCrm.Abstractions.Conversations.InboundRequest> messages;
        int skipped;
        try
        {
            messages = PlatformInbound.Messages(expected, body, out skipped);
        }
        catch (JsonException ex)
        {
            // The reason, never the body: it holds what customers wrote.
            logger.LogWarning("Webhook for channel {ChannelId} refused: unreadable body ({Error}).", channelId, ex.GetType().Name);
            return Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["is not a webhook payload of this platform."] });
        }

        // The signature proved the channel's platform: it acts for the route's brand and no other.
        ActorContext.Set("platform:" + WireNames.Of(expected));
        int accepted = 0, duplicates = 0;
        foreach (var message in messages)
        {
            var outcome = await inbound.ReceiveAsync(brandId, channelId, message);
            if (outcome.Value is not { } result)
            {
                // One message the service refuses must not make the platform resend the others forever.
                logger.LogWarning("A message of a webhook for channel {ChannelId} was refused: {Refusal}.", channelId, outcome.Refusal!.Kind);
                skipped++;
                continue;
            }
            if (result.Duplicate) duplicates++;
            else accepted++;
        }
        return TypedResults.Ok(new PlatformWebhookResponse(accepted, duplicates, skipped));
    }

    /// <summary>The channel the route names, when its ids and platform can name one; whether it exists there, the channel says.</summary>
    private static (Platform Platform, IChannelGrain Channel)? Channel(string platform, string brandId, string channelId, GrainReferences grains) =>
        Ids.IsValid(brandId) && Ids.IsValid(channelId) && WireNames.TryParsePlatform(platform, out var expected) && expected != Platform.WebChat
            ? (expected, grains.Get<IChannelGrain>(Ids.Scoped(brandId, channelId)))
            : null;
}
