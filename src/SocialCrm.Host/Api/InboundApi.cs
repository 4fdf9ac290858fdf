using SocialCrm.Abstractions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Grains.Conversations;
using SocialCrm.Host.Auth;
using SocialCrm.Host.Hosting;

namespace SocialCrm.Host.Api;

public sealed record InboundThread(string? Visibility, string? ExternalThreadId);

public sealed record InboundMessageRequest(
    string? ExternalMessageId,
    string? ExternalUserId,
    string? UserDisplayName,
    string? Text,
    DateTimeOffset? Timestamp,
    InboundThread? Thread,
    string? InReplyToExternalMessageId);

public sealed record InboundAcceptedResponse(string ConversationId, string MessageId, string CustomerId, long Seq, bool Duplicate);

/// <summary>The generic inbound endpoint (web chat, custom integrations): answered only once the message is durable.</summary>
public static class InboundApi
{
    public const int MaxTextLength = MessageText.MaxLength;

    public static void MapInboundApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/brands/{brandId}/channels/{channelId}/inbound", Receive)
            .RequireAuthorization(Policies.For(RoleSets.Ingest))
            .RequireRateLimiting(RateLimits.ChannelPolicy)
            .ProducesProblem(404).ProducesProblem(413).ProducesProblem(429);
    }

    private static async Task<Results<Accepted<InboundAcceptedResponse>, Ok<InboundAcceptedResponse>, ProblemHttpResult, ValidationProblem>> Receive(string brandId, string channelId, InboundMessageRequest? body, InboundPipeline inbound)
    {
        var errors = new FieldErrors();
        var externalMessageId = errors.RequiredLine("externalMessageId", body?.ExternalMessageId, 256);
        var externalUserId = errors.RequiredLine("externalUserId", body?.ExternalUserId, 256);
        var displayName = errors.OptionalLine("userDisplayName", body?.UserDisplayName, 200);
        var text = errors.Required("text", body?.Text, MaxTextLength);
        var visibility = errors.Enum<Visibility>("thread.visibility", body?.Thread?.Visibility ?? "private");
        var threadId = errors.OptionalLine("thread.externalThreadId", body?.Thread?.ExternalThreadId, 256);
        if (visibility == Visibility.Public && string.IsNullOrEmpty(threadId))
            errors.Add("thread.externalThreadId", "is required for a public message.");
        var inReplyTo = errors.OptionalLine("inReplyToExternalMessageId", body?.InReplyToExternalMessageId, 256);
        if (!Ids.IsValid(channelId)) return Problems.NotFound("Channel");
        if (errors.Any) return errors.ToProblem();

        var outcome = await inbound.ReceiveAsync(brandId, channelId, new InboundRequest(
            externalMessageId!, externalUserId!, displayName, text!, body!.Timestamp, visibility, threadId, inReplyTo));
        return ResultsOf.Map(outcome, a =>
        {
            var response = new InboundAcceptedResponse(a.ConversationId, a.MessageId, a.CustomerId, a.Seq, a.Duplicate);
            return a.Duplicate
                ? (Results<Accepted<InboundAcceptedResponse>, Ok<InboundAcceptedResponse>>)TypedResults.Ok(response)
                : TypedResults.Accepted((string?)null, response);
        });
    }
}
