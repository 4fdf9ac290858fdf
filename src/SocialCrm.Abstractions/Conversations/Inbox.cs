using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Conversations;

/// <summary>
/// The unified inbox of a brand, keyed by the brand id. A stateless worker that reads the inbox
/// projection, so listing never funnels through one activation.
/// </summary>
public interface IInboxGrain : IBrandScopedGrain
{
    Task<InboxPage> List(InboxQuery query);

    /// <summary>How many conversations of the query's filter hold unread customer messages, up to <paramref name="cap"/>.</summary>
    Task<long> CountUnread(InboxQuery query, int cap);
}

[GenerateSerializer, Immutable]
public sealed record InboxQuery(
    [property: Id(0)] ConversationStatus? Status,
    [property: Id(1)] string? ChannelId,
    [property: Id(2)] Visibility? Visibility,
    [property: Id(3)] string? Assignee,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] int Limit,
    [property: Id(6)] InboxCursor? After,
    [property: Id(7)] string? Sentiment = null,
    [property: Id(8)] ConversationPriority? Priority = null,
    [property: Id(9)] string? TeamId = null,
    [property: Id(10)] string? Tag = null,
    [property: Id(11)] string? CustomerName = null,
    [property: Id(12)] bool UnreadOnly = false);

/// <summary>Keyset position in the inbox: newest activity first, then id.</summary>
[GenerateSerializer, Immutable]
public sealed record InboxCursor([property: Id(0)] long LastActivityMs, [property: Id(1)] string ConversationId);

[GenerateSerializer, Immutable]
public sealed record InboxItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] Visibility Visibility,
    [property: Id(3)] ConversationKind Kind,
    [property: Id(4)] ConversationStatus Status,
    [property: Id(5)] string? CustomerId,
    [property: Id(6)] string? Assignee,
    [property: Id(7)] string Controller,
    [property: Id(8)] DateTimeOffset LastActivityAt,
    [property: Id(9)] long MessageCount,
    [property: Id(10)] string? ExternalThreadId,
    [property: Id(11)] Insights.SentimentView? Sentiment = null,
    [property: Id(12)] ConversationPriority Priority = ConversationPriority.Normal,
    [property: Id(13)] string? TeamId = null,
    [property: Id(14)] IReadOnlyList<string>? Tags = null,
    [property: Id(15)] long UnreadCount = 0);

[GenerateSerializer, Immutable]
public sealed record InboxPage([property: Id(0)] IReadOnlyList<InboxItem> Items, [property: Id(1)] InboxCursor? Next);
