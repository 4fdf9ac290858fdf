using System.Text.Json;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Grains.Insights;
using SocialCrm.Persistence.Automation;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The conversation's side of the message log: where it stands (its counters), new entries numbered
/// without gaps, the inbox projection moved in the same transaction, idempotency keys, and the events
/// each entry is for webhooks (committed with it) and the Orleans stream (after it). Used by one
/// activation on its own scheduler, so it needs no locking.
/// </summary>
internal sealed class ConversationLog(
    string brandId,
    string conversationId,
    IPersistentState<ConversationState> state,
    MessageLog log,
    WebhookStore webhooks,
    IGrainFactory grains,
    ConversationStream? stream,
    Action uncertainCommit)
{
    private const int KnownParticipantsCap = 10_000;
    private const int RecentDedupeKeysCap = 256;
    private static readonly Task<StoredMessageRef?> NotRecent = Task.FromResult<StoredMessageRef?>(null);

    // Participants already recorded in this activation; the insert is idempotent, this only saves work.
    private readonly HashSet<string> _knownParticipants = [];
    // The keys appended lately: a webhook retried within seconds is answered from the log at once.
    private readonly HashSet<string> _recentDedupeKeys = [];

    public ConversationCounters Counters { get; private set; } = new(0, 0, null, null, 0);

    public DateTimeOffset? LastCustomerMessageAt =>
        Counters.LastCustomerMessageAtMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Starts from where the committed projection row says the log stands.</summary>
    public void Resume(ConversationRecord row) =>
        Counters = new ConversationCounters(row.LastSeq, row.MessageCount, row.LastMessageAtMs, row.LastCustomerMessageAtMs, row.LastActivityMs,
            row.SentimentScore, row.SentimentLabel, row.UnreadCount, row.SlaDueAtMs);

    /// <summary>The customer was erased: the sentiment of their last message goes with their words.</summary>
    public void ForgetSentiment() => Counters = Counters with { SentimentScore = null, SentimentLabel = null };

    public bool KnowsParticipant(string customerId) => _knownParticipants.Contains(customerId);

    /// <summary>The first copy of a key appended lately by this activation, else nothing (without a read: a retry is rare).</summary>
    public Task<StoredMessageRef?> RecentDuplicateAsync(string dedupeKey) =>
        _recentDedupeKeys.Contains(dedupeKey) ? log.FindByDedupeKeyAsync(brandId, dedupeKey) : NotRecent;

    public Task<StoredMessageRef?> FindAsync(string dedupeKey) => log.FindByDedupeKeyAsync(brandId, dedupeKey);

    /// <summary>The next entry of the log, numbered after the last one.</summary>
    public MessageRecord NewMessage(AuthorType authorType, string authorId, string? text, Purpose? purpose, DateTimeOffset now,
        DateTimeOffset sentAt, string? externalMessageId, string? inReplyTo, string? dedupeKey, DeliveryStatus? deliveryStatus) =>
        new(brandId, conversationId, Counters.LastSeq + 1, Ids.NewTimeOrdered(Ids.MessagePrefix, now), state.State.ChannelId,
            authorType, authorId, text, state.State.Visibility, purpose, now.ToUnixTimeMilliseconds(), sentAt.ToUnixTimeMilliseconds(),
            externalMessageId, inReplyTo, dedupeKey, deliveryStatus);

    /// <summary>Appends a change of the conversation (control, status, assignee, a link) as an entry of its log.</summary>
    /// <param name="dedupeKey">Makes the entry once only (a rule's run recorded again after a crash is not).</param>
    /// <param name="alsoCommit">A statement that commits with the entry (a rule's run ending).</param>
    public Task AppendEventAsync(string kind, object data, string actorId, DateTimeOffset now, string? newParticipant = null, string? dedupeKey = null,
        SocialCrm.Persistence.Storage.SqlStatement? alsoCommit = null)
    {
        var record = NewMessage(AuthorType.System, actorId, text: null, purpose: null, now, now, null, null, dedupeKey, null)
            with { EventType = kind, EventData = JsonSerializer.Serialize(data, JsonSerializerOptions.Web) };
        return AppendAsync(record, newParticipant, customerMessage: false, alsoCommit: alsoCommit);
    }

    /// <summary>Appends an entry, its projection and its webhook deliveries in one durable transaction, then tells listeners.</summary>
    /// <param name="about">The customer a public message answers or quotes: its webhook payloads are erased with them.</param>
    /// <param name="automationRuns">Rules' decisions on this entry: they commit with it (the automation outbox).</param>
    /// <param name="slaDueAtMs">When a "no agent reply" rule is next due, if this customer message starts a wait.</param>
    public async Task<AppendOutcome> AppendAsync(MessageRecord record, string? newParticipant, bool customerMessage, string? about = null,
        IReadOnlyList<AutomationRunRecord>? automationRuns = null, long? slaDueAtMs = null, SocialCrm.Persistence.Storage.SqlStatement? alsoCommit = null)
    {
        var isEvent = record.EventType is not null;
        var counters = new ConversationCounters(
            LastSeq: record.Seq,
            MessageCount: Counters.MessageCount + (isEvent ? 0 : 1),
            LastMessageAtMs: isEvent ? Counters.LastMessageAtMs : record.CreatedAtMs,
            // A webhook delivered late carries an older time: the window counts from the newest message.
            LastCustomerMessageAtMs: customerMessage ? Math.Max(record.SentAtMs, Counters.LastCustomerMessageAtMs ?? 0) : Counters.LastCustomerMessageAtMs,
            LastActivityMs: Math.Max(record.CreatedAtMs, Counters.LastActivityMs),
            // The inbox sorts by the customer's latest mood; a message without text (a sticker) leaves it as it was.
            SentimentScore: customerMessage && record.SentimentScore is not null ? record.SentimentScore : Counters.SentimentScore,
            SentimentLabel: customerMessage && record.SentimentScore is { } score
                ? Sentiments.LabelOf(SocialCrm.Insights.Sentiment.FromScore(score).Label) : Counters.SentimentLabel,
            // An agent's reply answers what the customer wrote: nothing is left unread.
            UnreadCount: customerMessage ? Counters.UnreadCount + 1 : record.AuthorType == AuthorType.Agent && !isEvent ? 0 : Counters.UnreadCount,
            // An agent's answer ends the wait; a customer writing again while waiting keeps the first due time.
            SlaDueAtMs: record.AuthorType == AuthorType.Agent && !isEvent ? null : Counters.SlaDueAtMs ?? (customerMessage ? slaDueAtMs : null));
        // The outbox: each subscribed bot's delivery commits with the event itself, or not at all.
        // Payloads are only built when someone listens: most brands have no bot on most messages.
        var subscriptions = await webhooks.SubscriptionsAsync(brandId);
        var events = subscriptions.Count > 0 || stream is not null
            ? ConversationEvents.Of(record, state.State, firstEntry: Counters.LastSeq == 0, about)
            : ConversationEvents.Nothing;
        var deliveries = subscriptions.Count > 0 ? WebhookStore.Enqueue(brandId, subscriptions, events) : WebhookDeliveries.None;
        AppendOutcome outcome;
        try
        {
            outcome = await log.AppendAsync(record, Projection(counters), newParticipant, deliveries, automationRuns, alsoCommit);
        }
        catch
        {
            // The commit may have happened without our knowing: start afresh from what the log says.
            uncertainCommit();
            throw;
        }
        if (record.DedupeKey is not null) RememberDedupeKey(record.DedupeKey);
        // A duplicate wrote nothing: the counters stand, and the caller answers with the first copy's ids.
        if (outcome is AppendOutcome.Duplicate) return outcome;
        Counters = counters;
        if (newParticipant is not null)
        {
            if (_knownParticipants.Count >= KnownParticipantsCap) _knownParticipants.Clear();
            _knownParticipants.Add(newParticipant);
        }
        foreach (var webhookId in deliveries.WebhookIds)
            grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, webhookId)).Kick().Ignore();
        if (stream is not null) await stream.PublishAsync(events);
        return outcome;
    }

    /// <summary>Moves the window of a conversation opened from a public comment, in the projection the grain reloads from.</summary>
    public Task MoveWindowAsync(long customerWroteAtMs)
    {
        Counters = Counters with { LastCustomerMessageAtMs = customerWroteAtMs };
        return log.SaveProjectionAsync(Projection(Counters));
    }

    /// <summary>An agent looked: the customer's messages are read, in the projection the inbox counts.</summary>
    public async Task MarkSeenAsync()
    {
        if (Counters.UnreadCount == 0) return;
        Counters = Counters with { UnreadCount = 0 };
        await log.SaveProjectionAsync(Projection(Counters));
    }

    /// <summary>Sets when the next "no agent reply" rule is due (null: none), in the projection the sweep reads.</summary>
    public async Task SetSlaDueAsync(long? dueAtMs)
    {
        if (Counters.SlaDueAtMs == dueAtMs) return;
        Counters = Counters with { SlaDueAtMs = dueAtMs };
        await log.SaveProjectionAsync(Projection(Counters));
    }

    /// <summary>Replaces the tag filter's rows with the state's tags, with the projection.</summary>
    public Task SaveTagsAsync() => log.SaveTagsAsync(Projection(Counters));

    /// <summary>Moves the window in memory only: the entry appended next carries it into the projection.</summary>
    public void MoveWindow(long customerWroteAtMs) => Counters = Counters with { LastCustomerMessageAtMs = customerWroteAtMs };

    /// <summary>
    /// The platform comment a reply answers. In a public thread, the newest one, as an agent replying
    /// under it on the platform would. In a conversation just taken private from a comment, where the
    /// customer has not written privately yet, that comment: Meta delivers such a first private reply by it.
    /// With it, the customer who wrote it, whom the reply is about.
    /// </summary>
    public async Task<(string? ExternalId, string? CustomerId)> AnsweredCommentAsync()
    {
        if (state.State.Visibility == Visibility.Public)
            return await log.LatestCustomerMessageAsync(brandId, conversationId) is { } latest ? (latest.ExternalMessageId, latest.CustomerId) : (null, null);
        if (state.State.OpenedFromComment is { } comment && await log.LatestCustomerMessageAsync(brandId, conversationId) is null)
            return (comment, state.State.CustomerId);
        return (null, null);
    }

    /// <summary>The customer message a command names (by id, in this conversation), or else the newest one.</summary>
    public async Task<Outcome<CustomerMessageRef>> CustomerMessageAsync(string? messageId, string purpose)
    {
        if (messageId is null)
            return await log.LatestCustomerMessageAsync(brandId, conversationId) is { } latest ? latest : Refusal.NotFound("A customer message in this conversation");
        var found = await log.FindByIdAsync(brandId, messageId);
        if (found is null || found.ConversationId != conversationId) return Refusal.NotFound("Message");
        if (found.AuthorType != AuthorType.Customer) return Refusal.Invalid("messageId", $"Only a customer's message can be {purpose}.");
        return new CustomerMessageRef(messageId, found.AuthorId, found.SentAtMs, found.ExternalMessageId);
    }

    private void RememberDedupeKey(string key)
    {
        if (_recentDedupeKeys.Count >= RecentDedupeKeysCap) _recentDedupeKeys.Clear();
        _recentDedupeKeys.Add(key);
    }

    private ConversationRecord Projection(ConversationCounters counters)
    {
        var s = state.State;
        return new ConversationRecord(brandId, conversationId, s.ChannelId, s.Visibility, s.Kind, s.Status, s.Assignee, s.Controller,
            s.CustomerId, s.ExternalThreadId, s.CreatedAt.ToUnixTimeMilliseconds(), counters.LastActivityMs, counters.LastMessageAtMs,
            counters.LastCustomerMessageAtMs, counters.MessageCount, counters.LastSeq, counters.SentimentScore, counters.SentimentLabel,
            s.Priority, s.TeamId, s.Tags, counters.UnreadCount, counters.SlaDueAtMs);
    }
}
