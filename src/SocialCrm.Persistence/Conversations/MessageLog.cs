using System.Data.Common;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Storage;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Persistence.Conversations;

/// <summary>A row of the append-only message log, typed (wire names are converted here, once).</summary>
public sealed record MessageRecord(
    string BrandId,
    string ConversationId,
    long Seq,
    string Id,
    string ChannelId,
    AuthorType AuthorType,
    string AuthorId,
    string? Body,
    Visibility Visibility,
    Purpose? Purpose,
    long CreatedAtMs,
    long SentAtMs,
    string? ExternalMessageId,
    string? InReplyTo,
    string? DedupeKey,
    DeliveryStatus? DeliveryStatus,
    bool Redacted = false,
    string? EventType = null,
    string? EventData = null,
    string? QuotedMessageId = null,
    double? SentimentScore = null,
    string? LastDeliveryError = null);

/// <summary>The inbox projection of one conversation, kept current in the same transaction as its messages.</summary>
public sealed record ConversationRecord(
    string BrandId,
    string Id,
    string ChannelId,
    Visibility Visibility,
    ConversationKind Kind,
    ConversationStatus Status,
    string? Assignee,
    string Controller,
    string? CustomerId,
    string? ExternalThreadId,
    long CreatedAtMs,
    long LastActivityMs,
    long? LastMessageAtMs,
    long? LastCustomerMessageAtMs,
    long MessageCount,
    long LastSeq,
    double? SentimentScore = null,
    string? SentimentLabel = null,
    ConversationPriority Priority = ConversationPriority.Normal,
    string? TeamId = null,
    IReadOnlyList<string>? Tags = null,
    long UnreadCount = 0,
    long? SlaDueAtMs = null);

/// <summary>Where a conversation's log stands, read back when its grain activates.</summary>
/// <param name="SentimentScore">The sentiment of the newest customer message, with its label (the inbox filters on it).</param>
/// <param name="UnreadCount">Customer messages since an agent last looked at the conversation.</param>
public sealed record ConversationCounters(long LastSeq, long MessageCount, long? LastMessageAtMs, long? LastCustomerMessageAtMs, long LastActivityMs,
    double? SentimentScore = null, string? SentimentLabel = null, long UnreadCount = 0, long? SlaDueAtMs = null);

/// <summary>A message found by its id anywhere in a brand.</summary>
public sealed record MessageLookup(string ConversationId, long Seq, AuthorType AuthorType, string AuthorId, string? Body,
    Visibility Visibility, long SentAtMs, bool Redacted, string? ExternalMessageId);

/// <summary>An outbound message not yet delivered, the platform message it answers (a comment), and who wrote it (agent, bot).</summary>
public sealed record PendingDelivery(long Seq, string MessageId, string? Body, int Attempts, string? InReplyTo, AuthorType AuthorType);

/// <summary>The newest message a customer wrote in a conversation.</summary>
public sealed record CustomerMessageRef(string MessageId, string CustomerId, long SentAtMs, string? ExternalMessageId);

/// <summary>A log entry as the brand's live event stream sees it: ids, kinds and times, never text.</summary>
public sealed record BrandLogEntry(string Id, string ConversationId, long Seq, string ChannelId, string AuthorType, string AuthorId,
    string Visibility, string? EventType, string? EventData, long CreatedAtMs);

/// <summary>The first message stored under an idempotency key.</summary>
public sealed record StoredMessageRef(string ConversationId, long Seq, string MessageId, string AuthorId);

/// <summary>
/// The append-only message log and the inbox projection beside it. Appends go through the group
/// commit; reads go straight to the database.
/// </summary>
public sealed class MessageLog(Database database, GroupCommitWriter writer)
{
    /// <summary>
    /// Appends a message and moves the projection in one durable transaction; a message whose
    /// idempotency key the log already holds is not written, and the first copy's ids come back.
    /// </summary>
    /// <param name="deliveries">Webhook deliveries that commit with the message or not at all.</param>
    /// <param name="automationRuns">Automation rules' decisions on the message, which commit with it or not at all.</param>
    /// <param name="alsoCommit">One more statement of the same transaction (a rule's run ending with its history entry).</param>
    public async Task<AppendOutcome> AppendAsync(MessageRecord message, ConversationRecord conversation, string? newParticipantId,
        WebhookDeliveries deliveries, IReadOnlyList<Automation.AutomationRunRecord>? automationRuns = null, SqlStatement? alsoCommit = null,
        CancellationToken cancellationToken = default)
    {
        var statements = new List<SqlStatement>(3 + deliveries.Statements.Count)
        {
            new("InsertMessage", MessageArgs(message)),
            new("UpsertConversation", ConversationArgs(conversation)),
        };
        if (newParticipantId is not null)
        {
            statements.Add(new("InsertParticipant",
            [
                SqlArg.Text("brand_id", message.BrandId),
                SqlArg.Text("customer_id", newParticipantId),
                SqlArg.Text("conversation_id", message.ConversationId),
                SqlArg.Int64("joined_at_ms", message.CreatedAtMs),
            ]));
        }
        if (deliveries.Statements.Count > 0) statements.AddRange(deliveries.Statements);
        foreach (var run in automationRuns ?? []) statements.Add(Automation.AutomationStore.Insert(run));
        if (alsoCommit is not null) statements.Add(alsoCommit);
        try
        {
            await writer.WriteAsync(statements, cancellationToken);
            return AppendOutcome.Done;
        }
        catch (DbException ex) when (message.DedupeKey is not null && Dialects.IsUniqueViolation(ex))
        {
            // A retried webhook is rare: the unique key refuses the second copy, and only then is the first one looked up.
            if (await FindByDedupeKeyAsync(message.BrandId, message.DedupeKey, cancellationToken) is { } stored)
                return new AppendOutcome.Duplicate(stored);
            throw;
        }
    }

    /// <summary>Moves the projection alone (status, assignment, control changes).</summary>
    public Task SaveProjectionAsync(ConversationRecord conversation, CancellationToken cancellationToken = default) =>
        writer.WriteAsync([new SqlStatement("UpsertConversation", ConversationArgs(conversation))], cancellationToken);

    /// <summary>Moves the projection and replaces the conversation's rows in the tag filter, in one transaction.</summary>
    public Task SaveTagsAsync(ConversationRecord conversation, CancellationToken cancellationToken = default)
    {
        var statements = new List<SqlStatement>
        {
            new("UpsertConversation", ConversationArgs(conversation)),
            new("DeleteConversationTags", [SqlArg.Text("brand_id", conversation.BrandId), SqlArg.Text("conversation_id", conversation.Id)]),
        };
        foreach (var tag in conversation.Tags ?? [])
            statements.Add(new("InsertConversationTag",
                [SqlArg.Text("brand_id", conversation.BrandId), SqlArg.Text("tag", tag), SqlArg.Text("conversation_id", conversation.Id)]));
        return writer.WriteAsync(statements, cancellationToken);
    }

    public Task<StoredMessageRef?> FindByDedupeKeyAsync(string brandId, string dedupeKey, CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("FindMessageByDedupeKey",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("dedupe_key", dedupeKey)],
            r => new StoredMessageRef(r.GetString(0), r.Int64(1), r.GetString(2), r.GetString(3)), cancellationToken);

    /// <summary>The conversation's projection row: where its log stands, and its metadata as last committed.</summary>
    public Task<ConversationRecord?> LoadConversationAsync(string brandId, string conversationId, CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("LoadConversation",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", conversationId)],
            r => new ConversationRecord(brandId, conversationId,
                ChannelId: r.GetString(5), Visibility: StoredNames.Parse(r.GetString(6), Visibility.Private),
                Kind: StoredNames.Parse(r.GetString(7), ConversationKind.Private), Status: StoredNames.Parse(r.GetString(8), ConversationStatus.Open),
                Assignee: r.StringOrNull(9), Controller: r.GetString(10), CustomerId: r.StringOrNull(11),
                ExternalThreadId: r.StringOrNull(12), CreatedAtMs: r.Int64(13), LastActivityMs: r.Int64(4),
                LastMessageAtMs: r.Int64OrNull(2), LastCustomerMessageAtMs: r.Int64OrNull(3), MessageCount: r.Int64(1),
                LastSeq: r.Int64(0), SentimentScore: r.DoubleOrNull(14), SentimentLabel: r.StringOrNull(15),
                Priority: StoredNames.Parse(r.GetString(16), ConversationPriority.Normal), TeamId: r.StringOrNull(17),
                Tags: Tags.Split(r.StringOrNull(18)), UnreadCount: r.Int64(19), SlaDueAtMs: r.Int64OrNull(20)), cancellationToken);

    /// <summary>The customers taking part, in the order they joined (at most <paramref name="limit"/>).</summary>
    public Task<List<string>> ParticipantsAsync(string brandId, string conversationId, int limit, CancellationToken cancellationToken = default) =>
        database.QueryAsync("ParticipantsOfConversation",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId), SqlArg.Int32("limit", limit)],
            r => r.GetString(0), cancellationToken);

    public Task<MessageLookup?> FindByIdAsync(string brandId, string messageId, CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("FindMessageById",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", messageId)],
            r => new MessageLookup(r.GetString(0), r.Int64(1), StoredNames.Parse(r.GetString(2), AuthorType.System), r.GetString(3), r.StringOrNull(4),
                StoredNames.Parse(r.GetString(5), Visibility.Private),
                r.Int64(6), r.Bool(7), r.StringOrNull(8)), cancellationToken);

    /// <summary>A brand's log entries with ids strictly between the two, in id (creation time) order.</summary>
    public Task<List<BrandLogEntry>> BrandEntriesBetweenAsync(string brandId, string afterId, string beforeId, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("BrandEntriesBetween",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("after_id", afterId), SqlArg.Text("before_id", beforeId), SqlArg.Int32("limit", limit)],
            r => new BrandLogEntry(r.GetString(0), r.GetString(1), r.Int64(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.StringOrNull(7), r.StringOrNull(8), r.Int64(9)), cancellationToken);

    /// <summary>The newest message a customer wrote in the conversation: its ids, author and platform time.</summary>
    public Task<CustomerMessageRef?> LatestCustomerMessageAsync(string brandId, string conversationId,
        CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("LatestCustomerMessage",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId)],
            r => new CustomerMessageRef(r.GetString(0), r.GetString(1), r.Int64(2), r.StringOrNull(3)), cancellationToken);

    public Task<List<PendingDelivery>> PendingOutboundAsync(string brandId, string conversationId, CancellationToken cancellationToken = default) =>
        database.QueryAsync("PendingOutbound",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId)],
            r => new PendingDelivery(r.Int64(0), r.GetString(1), r.StringOrNull(2), (int)r.Int64(3), r.StringOrNull(4),
                StoredNames.Parse(r.GetString(5), AuthorType.System)),
            cancellationToken);

    /// <summary>Conversations holding outbound messages still pending since before <paramref name="beforeMs"/>.</summary>
    public Task<List<(string BrandId, string ConversationId)>> ConversationsWithPendingAsync(long beforeMs, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ConversationsWithPendingOutbound",
            [SqlArg.Int64("before_ms", beforeMs), SqlArg.Int32("limit", limit)],
            r => (r.GetString(0), r.GetString(1)), cancellationToken);

    /// <summary>Records a delivery attempt's outcome durably, and the platform's id of the message once it has one.</summary>
    public Task UpdateDeliveryAsync(string brandId, string conversationId, long seq, DeliveryStatus status, int attempts, string? lastError,
        string? externalMessageId = null, CancellationToken cancellationToken = default) =>
        writer.WriteAsync([new SqlStatement("UpdateDelivery",
        [
            SqlArg.Text("brand_id", brandId),
            SqlArg.Text("conversation_id", conversationId),
            SqlArg.Int64("seq", seq),
            SqlArg.Text("delivery_status", WireNames.Of(status)),
            SqlArg.Int32("attempts", attempts),
            SqlArg.Text("last_error", lastError),
            SqlArg.Text("external_message_id", externalMessageId),
        ])], cancellationToken);

    public Task<List<MessageRecord>> ReadAsync(string brandId, string conversationId, long afterSeq, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ReadMessages",
            [
                SqlArg.Text("brand_id", brandId),
                SqlArg.Text("conversation_id", conversationId),
                SqlArg.Int64("after_seq", afterSeq),
                SqlArg.Int32("limit", limit),
            ],
            r => new MessageRecord(brandId, conversationId,
                Seq: r.Int64(0), Id: r.GetString(1), ChannelId: "", AuthorType: StoredNames.Parse(r.GetString(2), AuthorType.System),
                AuthorId: r.GetString(3), Body: r.StringOrNull(4), Visibility: StoredNames.Parse(r.GetString(6), Visibility.Private),
                Purpose: StoredNames.ParseOrNull<Purpose>(r.StringOrNull(11)), CreatedAtMs: r.Int64(5),
                SentAtMs: r.Int64(5), ExternalMessageId: r.StringOrNull(9), InReplyTo: r.StringOrNull(10), DedupeKey: null,
                DeliveryStatus: StoredNames.ParseOrNull<DeliveryStatus>(r.StringOrNull(7)), Redacted: r.Bool(8), EventType: r.StringOrNull(12),
                EventData: r.StringOrNull(13), QuotedMessageId: r.StringOrNull(14), SentimentScore: r.DoubleOrNull(16),
                LastDeliveryError: r.StringOrNull(17)) { SentAtMs = r.Int64(15) },
            cancellationToken);

    private static SqlArg[] MessageArgs(MessageRecord m) =>
    [
        SqlArg.Text("brand_id", m.BrandId),
        SqlArg.Text("conversation_id", m.ConversationId),
        SqlArg.Int64("seq", m.Seq),
        SqlArg.Text("id", m.Id),
        SqlArg.Text("channel_id", m.ChannelId),
        SqlArg.Text("author_type", WireNames.Of(m.AuthorType)),
        SqlArg.Text("author_id", m.AuthorId),
        SqlArg.Text("body", m.Body),
        SqlArg.Text("visibility", WireNames.Of(m.Visibility)),
        SqlArg.Text("purpose", m.Purpose is { } purpose ? WireNames.Of(purpose) : null),
        SqlArg.Int64("created_at_ms", m.CreatedAtMs),
        SqlArg.Int64("sent_at_ms", m.SentAtMs),
        SqlArg.Text("external_message_id", m.ExternalMessageId),
        SqlArg.Text("in_reply_to", m.InReplyTo),
        SqlArg.Text("dedupe_key", m.DedupeKey),
        SqlArg.Text("delivery_status", m.DeliveryStatus is { } status ? WireNames.Of(status) : null),
        SqlArg.Text("event_type", m.EventType),
        SqlArg.Text("event_data", m.EventData),
        SqlArg.Text("quoted_message_id", m.QuotedMessageId),
        SqlArg.Double("sentiment_score", m.SentimentScore),
    ];

    private static SqlArg[] ConversationArgs(ConversationRecord c) =>
    [
        SqlArg.Text("brand_id", c.BrandId),
        SqlArg.Text("id", c.Id),
        SqlArg.Text("channel_id", c.ChannelId),
        SqlArg.Text("visibility", WireNames.Of(c.Visibility)),
        SqlArg.Text("kind", WireNames.Of(c.Kind)),
        SqlArg.Text("status", WireNames.Of(c.Status)),
        SqlArg.Text("assignee", c.Assignee),
        SqlArg.Text("controller", c.Controller),
        SqlArg.Text("customer_id", c.CustomerId),
        SqlArg.Text("external_thread_id", c.ExternalThreadId),
        SqlArg.Int64("created_at_ms", c.CreatedAtMs),
        SqlArg.Int64("last_activity_ms", c.LastActivityMs),
        SqlArg.Int64("last_message_at_ms", c.LastMessageAtMs),
        SqlArg.Int64("last_customer_message_at_ms", c.LastCustomerMessageAtMs),
        SqlArg.Int64("message_count", c.MessageCount),
        SqlArg.Int64("last_seq", c.LastSeq),
        SqlArg.Double("sentiment_score", c.SentimentScore),
        SqlArg.Text("sentiment_label", c.SentimentLabel),
        SqlArg.Text("priority", WireNames.Of(c.Priority)),
        SqlArg.Text("team_id", c.TeamId),
        SqlArg.Text("tags", Tags.Join(c.Tags ?? [])),
        SqlArg.Int64("unread_count", c.UnreadCount),
        SqlArg.Int64("sla_due_at_ms", c.SlaDueAtMs),
    ];
}
