using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Security;
using SocialCrm.Channels.Webhooks;
using SocialCrm.Grains;
using SocialCrm.Grains.Conversations;
using SocialCrm.Host.Hosting;

namespace SocialCrm.Host.Api;

public sealed record PlatformWebhookResponse(int Accepted, int Duplicates, int Skipped);

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
        route.MapGet("/", Handshake).Produces<string>(200, "text/plain").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        route.MapPost("/", Receive).Produces<PlatformWebhookResponse>(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .ProducesProblem(413).ProducesProblem(429);
    }

    /// <summary>Meta's subscription check (<c>hub.*</c>) and X's challenge-response check (<c>crc_token</c>).</summary>
    private static async Task<IResult> Handshake(string platform, string brandId, string channelId, HttpRequest request,
        GrainReferences grains, ILoggerFactory loggers)
    {
        BrandContext.Set(brandId);
        if (await TargetAsync(platform, brandId, channelId, grains) is not { } target) return Problems.NotFound("Channel");
        var logger = loggers.CreateLogger(typeof(PlatformWebhooksApi));
        if (target.Platform == Platform.X)
        {
            string? crcToken = request.Query["crc_token"];
            // Its answer is a valid body signature: only a token that can never be a body is answered.
            if (!string.IsNullOrEmpty(crcToken) && !PlatformInbound.IsXCrcToken(crcToken))
            {
                logger.LogWarning("X challenge for channel {ChannelId} refused: not an opaque token.", channelId);
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    ["crc_token"] = [$"must be 1 to {PlatformInbound.MaxHandshakeTokenLength} characters of A-Z a-z 0-9 _ - = + / . and not JSON."],
                });
            }
            if (string.IsNullOrEmpty(crcToken) || string.IsNullOrEmpty(target.Secrets?.ConsumerSecret))
            {
                logger.LogWarning("X challenge for channel {ChannelId} refused: {Reason}.", channelId,
                    string.IsNullOrEmpty(crcToken) ? "no crc_token" : "no consumer secret configured");
                return Problems.Forbidden("The challenge cannot be answered for this channel.");
            }
            return TypedResults.Ok(new { response_token = PlatformInbound.XResponseToken(target.Secrets.ConsumerSecret, crcToken) });
        }
        string? mode = request.Query["hub.mode"], token = request.Query["hub.verify_token"], challenge = request.Query["hub.challenge"];
        // Echoed verbatim: only the short opaque token Meta sends, never markup or a body of someone's choosing.
        if (!string.IsNullOrEmpty(challenge) && !PlatformInbound.IsOpaqueToken(challenge))
        {
            logger.LogWarning("Meta subscription check for channel {ChannelId} refused: the challenge is not an opaque token.", channelId);
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["hub.challenge"] = [$"must be 1 to {PlatformInbound.MaxHandshakeTokenLength} characters of A-Z a-z 0-9 _ - = + / ."],
            });
        }
        if (mode != "subscribe" || string.IsNullOrEmpty(challenge) || !SameSecret(token, target.Secrets?.VerifyToken))
        {
            logger.LogWarning("Meta subscription check for channel {ChannelId} refused: {Reason}.", channelId,
                mode != "subscribe" || string.IsNullOrEmpty(challenge) ? "not a subscribe request" : "verify token does not match");
            return Problems.Forbidden("The verify token does not match this channel's.");
        }
        return TypedResults.Text(challenge, "text/plain");
    }

    private static async Task<IResult> Receive(string platform, string brandId, string channelId, HttpRequest request,
        GrainReferences grains, InboundPipeline inbound, ILoggerFactory loggers)
    {
        // No key names a brand here: the route does, and only this channel of it is read before the signature is checked.
        // (Set here, not in a method awaited below: the request context of an awaited method does not flow back.)
        BrandContext.Set(brandId);
        if (await TargetAsync(platform, brandId, channelId, grains) is not { } target) return Problems.NotFound("Channel");
        var logger = loggers.CreateLogger(typeof(PlatformWebhooksApi));
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        var (secret, header) = target.Platform == Platform.X
            ? (target.Secrets?.ConsumerSecret, request.Headers[PlatformInbound.XSignatureHeader].ToString())
            : (target.Secrets?.AppSecret, request.Headers[PlatformInbound.MetaSignatureHeader].ToString());
        if (!PlatformInbound.IsSigned(target.Platform, secret, body.Span, header))
        {
            logger.LogWarning("Webhook for channel {ChannelId} refused: {Reason}.", channelId,
                string.IsNullOrEmpty(secret) ? "no secret configured to check its signature" : string.IsNullOrEmpty(header) ? "no signature" : "bad signature");
            return Problems.Unauthenticated("The body's signature does not match this channel's secret.");
        }

        List<SocialCrm.Abstractions.Conversations.InboundRequest> messages;
        int skipped;
        try
        {
            messages = PlatformInbound.Messages(target.Platform, body, out skipped);
        }
        catch (JsonException ex)
        {
            // The reason, never the body: it holds what customers wrote.
            logger.LogWarning("Webhook for channel {ChannelId} refused: unreadable body ({Error}).", channelId, ex.GetType().Name);
            return Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["is not a webhook payload of this platform."] });
        }

        // The signature proved the channel's platform: it acts for the route's brand and no other.
        ActorContext.Set("platform:" + WireNames.Of(target.Platform));
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

    /// <summary>The channel behind the route, when it exists in the brand and is on the route's platform.</summary>
    private static async Task<ChannelDelivery?> TargetAsync(string platform, string brandId, string channelId, GrainReferences grains)
    {
        if (!Ids.IsValid(brandId) || !Ids.IsValid(channelId) || !WireNames.TryParsePlatform(platform, out var expected)
            || expected == Platform.WebChat) return null;
        var target = await grains.Get<IChannelGrain>(Ids.Scoped(brandId, channelId)).DeliveryTarget();
        return target?.Platform == expected ? target : null;
    }

    private static bool SameSecret(string? given, string? expected) =>
        !string.IsNullOrEmpty(given) && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
