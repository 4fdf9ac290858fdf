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

    /// <summary>Opens this conversation as a 1/n broadcast: the brand's post on a channel.</summary>
    Task<Outcome<AppendResult>> CreatePost(PostRequest post);

    /// <summary>Moves a public message's author into their private thread, linking the two both ways.</summary>
    Task<Outcome<string>> TakePrivate(TakePrivateRequest request);

    /// <summary>Opens (or reuses) this private conversation for a customer met in a public thread.</summary>
    Task<Outcome<bool>> OpenPrivate(PrivateOpening opening);

    /// <summary>Quotes one of this conversation's private messages into a public thread, if its author consents.</summary>
    Task<Outcome<AppendResult>> PublishTo(PublishRequest request);

    /// <summary>Appends a quote of a private message; refused without the author's public_display consent.</summary>
    Task<Outcome<AppendResult>> AppendQuote(Quote quote);

    /// <summary>The switchboard: pass to a bot, pass back to humans, or take from a bot.</summary>
    Task<Outcome<string>> ChangeControl(ControlChange change);

    /// <summary>Assigns an agent (null unassigns); the answer is the conversation as it now stands.</summary>
    Task<Outcome<ConversationView>> Assign(string? agentId, Actor actor);

    /// <summary>Changes the status; the answer is the conversation as it now stands.</summary>
    Task<Outcome<ConversationView>> SetStatus(ConversationStatus status, Actor actor);

    /// <summary>Hands the conversation to a team (null takes it from its team): an agent named is assigned, else the team's next available one.</summary>
    Task<Outcome<ConversationView>> AssignTeam(string? teamId, string? agentId, Actor actor);

    /// <summary>Replaces the tags (normalized, at most <see cref="Tags.MaxPerConversation"/>).</summary>
    Task<Outcome<ConversationView>> SetTags(IReadOnlyList<string> tags, Actor actor);

    Task<Outcome<ConversationView>> SetPriority(ConversationPriority priority, Actor actor);

    /// <summary>Carries out automation runs a crash left pending (the automation sweep calls this).</summary>
    Task ResumeAutomation();

    /// <summary>Fires the "no agent reply" rules whose time has come (the automation sweep calls this when the due time passes).</summary>
    Task CheckNoAgentReply();

    /// <summary>An agent looked at the conversation: its customer messages are no longer unread.</summary>
    Task<Outcome<ConversationView>> MarkSeen(Actor actor);

    /// <summary>
    /// Makes this thread's address stand for another conversation: the platform's id of a post made
    /// through the service, or of the brand's reply tweet on X, so that what answers it joins that
    /// conversation. Ignored where a thread already exists.
    /// </summary>
    Task PointTo(string conversationId);

    /// <summary>Erasure: drops what the activation holds of the customer (pending replies to them) and refuses replies to them.</summary>
    Task ForgetCustomer(string customerId);

    /// <summary>Resumes sending replies still pending in the log (after a restart or a failed send).</summary>
    [AlwaysInterleave]
    Task ResumeOutbound();

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
    [property: Id(12)] Insights.SentimentView? Sentiment,
    [property: Id(13)] string? ExternalThreadId,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] IReadOnlyList<string>? Tags = null,
    [property: Id(16)] ConversationPriority Priority = ConversationPriority.Normal,
    [property: Id(17)] string? TeamId = null,
    [property: Id(18)] long UnreadCount = 0);

[GenerateSerializer, Immutable]
public sealed record MessageView(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Id,
    [property: Id(2)] AuthorType AuthorType,
    [property: Id(3)] string AuthorId,
    [property: Id(4)] string? Text,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] Visibility Visibility,
    [property: Id(7)] Insights.SentimentView? Sentiment,
    [property: Id(8)] string? DeliveryStatus,
    [property: Id(9)] bool Redacted,
    [property: Id(10)] string? ExternalMessageId,
    [property: Id(11)] string? InReplyToExternalMessageId,
    [property: Id(12)] Purpose? Purpose,
    [property: Id(13)] string? EventType = null,
    [property: Id(14)] string? EventData = null,
    [property: Id(15)] string? QuotedMessageId = null,
    [property: Id(16)] string? DeliveryError = null);

[GenerateSerializer, Immutable]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageView> Items,
    [property: Id(1)] long? NextAfterSeq);

/// <summary>Who acts on a conversation: an agent (or admin) by key name, or a bot by its id.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor([property: Id(0)] AuthorType Type, [property: Id(1)] string Id);

[GenerateSerializer, Immutable]
public sealed record PostRequest(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] Platform Platform,
    [property: Id(2)] string ExternalThreadId,
    [property: Id(3)] string Text,
    [property: Id(4)] Purpose Purpose,
    [property: Id(5)] Actor Author);

[GenerateSerializer, Immutable]
public sealed record TakePrivateRequest(
    [property: Id(0)] string? MessageId,
    [property: Id(1)] string? PublicReply,
    [property: Id(2)] Actor Actor);

[GenerateSerializer, Immutable]
public sealed record PrivateOpening(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] Platform Platform,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string FromConversationId,
    [property: Id(4)] DateTimeOffset CustomerWroteAt,
    [property: Id(5)] Actor Actor,
    [property: Id(6)] string? FromExternalMessageId = null);

[GenerateSerializer, Immutable]
public sealed record PublishRequest(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string TargetConversationId,
    [property: Id(2)] Actor Actor);

/// <summary>A private message about to be shown in a public thread.</summary>
[GenerateSerializer, Immutable]
public sealed record Quote(
    [property: Id(0)] string SourceConversationId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string AuthorCustomerId,
    [property: Id(3)] string Text,
    [property: Id(4)] Actor Actor);

[GenerateSerializer]
public enum ControlAction { PassToBot, PassToHuman, Take }

[GenerateSerializer, Immutable]
public sealed record ControlChange(
    [property: Id(0)] ControlAction Action,
    [property: Id(1)] string? BotId,
    [property: Id(2)] Actor Actor);

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
