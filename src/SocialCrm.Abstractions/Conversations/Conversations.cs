using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Conversations;

/// <summary>
/// One thread, keyed <c>{brandId}/{conversationId}</c>. Its messages live in the append-only message
/// log; the grain holds the metadata and the counters the log's projection gives back on activation.
/// </summary>
public interface IConversationGrain : IBrandScopedGrain
{
    /// <summary>Appends a customer's message; idempotent on the platform's message id.</summary>
    Task<Outcome<AppendResult>> AppendInbound(InboundMessage message);

    /// <summary>An agent's or bot's reply; idempotent on <c>clientMessageId</c>.</summary>
    Task<Outcome<AppendResult>> Reply(ReplyRequest reply);

    [AlwaysInterleave]
    Task<Outcome<ConversationView>> Get();

    [AlwaysInterleave]
    Task<Outcome<MessagePage>> Messages(long afterSeq, int limit);
}

/// <summary>A normalized inbound message, whichever platform or API it came from.</summary>
[GenerateSerializer, Immutable]
public sealed record InboundMessage(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] Platform Platform,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string ExternalMessageId,
    [property: Id(4)] string Text,
    [property: Id(5)] DateTimeOffset SentAt,
    [property: Id(6)] Visibility Visibility,
    [property: Id(7)] string? ExternalThreadId,
    [property: Id(8)] string? InReplyToExternalMessageId);

[GenerateSerializer, Immutable]
public sealed record ReplyRequest(
    [property: Id(0)] AuthorType AuthorType,
    [property: Id(1)] string AuthorId,
    [property: Id(2)] string Text,
    [property: Id(3)] Purpose Purpose,
    [property: Id(4)] bool HumanAgentTag,
    [property: Id(5)] string? ClientMessageId);

[GenerateSerializer, Immutable]
public sealed record AppendResult(
    [property: Id(0)] string ConversationId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string AuthorId,
    [property: Id(4)] bool Duplicate);

[GenerateSerializer, Immutable]
public sealed record ConversationView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] Visibility Visibility,
    [property: Id(3)] ConversationKind Kind,
    [property: Id(4)] ConversationStatus Status,
    [property: Id(5)] IReadOnlyList<string> CustomerIds,
    [property: Id(6)] string? Assignee,
    [property: Id(7)] string Controller,
    [property: Id(8)] IReadOnlyList<string> LinkedConversationIds,
    [property: Id(9)] DateTimeOffset? LastMessageAt,
    [property: Id(10)] DateTimeOffset? WindowClosesAt,
    [property: Id(11)] long MessageCount,
    [property: Id(12)] double? Sentiment,
    [property: Id(13)] string? ExternalThreadId,
    [property: Id(14)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record MessageView(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Id,
    [property: Id(2)] AuthorType AuthorType,
    [property: Id(3)] string AuthorId,
    [property: Id(4)] string? Text,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] Visibility Visibility,
    [property: Id(7)] double? Sentiment,
    [property: Id(8)] string? DeliveryStatus,
    [property: Id(9)] bool Redacted,
    [property: Id(10)] string? ExternalMessageId,
    [property: Id(11)] string? InReplyToExternalMessageId,
    [property: Id(12)] Purpose? Purpose);

[GenerateSerializer, Immutable]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageView> Items,
    [property: Id(1)] long? NextAfterSeq);

/// <summary>How the conversation for a message is found: by channel and external thread.</summary>
public static class ConversationAddress
{
    /// <summary>A customer has one private conversation per channel, as on the platforms.</summary>
    public static string ForPrivate(string channelId, string customerId) =>
        Ids.Derived("cv", "private", channelId, customerId);

    /// <summary>A public thread is one conversation per external thread id on a channel.</summary>
    public static string ForPublicThread(string channelId, string externalThreadId) =>
        Ids.Derived("cv", "public", channelId, externalThreadId);
}
