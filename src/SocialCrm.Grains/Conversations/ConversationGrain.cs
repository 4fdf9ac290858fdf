using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

[GenerateSerializer]
public sealed class ConversationState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string ChannelId { get; set; } = "";
    [Id(2)] public Platform Platform { get; set; }
    [Id(3)] public Visibility Visibility { get; set; }
    [Id(4)] public ConversationKind Kind { get; set; }
    [Id(5)] public ConversationStatus Status { get; set; }
    [Id(6)] public string? Assignee { get; set; }
    [Id(7)] public string Controller { get; set; } = Controllers.Human;
    /// <summary>The customer a private conversation is with, or who opened a public thread.</summary>
    [Id(8)] public string? CustomerId { get; set; }
    [Id(9)] public List<string> LinkedConversationIds { get; set; } = [];
    [Id(10)] public string? ExternalThreadId { get; set; }
    [Id(11)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Who controls a conversation: the human inbox, or a bot named <c>bot:{id}</c>.</summary>
public static class Controllers
{
    public const string Human = "human";
}

/// <summary>
/// One thread. Metadata lives in grain state; messages go to the append-only log through the group
/// commit, with the inbox projection moved in the same transaction. The grain is not reentrant, so
/// appends to one conversation are ordered and numbered without gaps.
/// </summary>
public sealed class ConversationGrain(
    [PersistentState("conversation", GrainStorage.Name)] IPersistentState<ConversationState> state,
    MessageLog log,
    TimeProvider clock) : Grain, IConversationGrain
{
    private const int KnownParticipantsCap = 10_000;
    private const int MaxListedParticipants = 1_000;

    private string _brandId = "";
    private string _conversationId = "";
    private ConversationCounters _counters = new(0, 0, null, null, 0);
    // Participants already recorded in this activation; the insert is idempotent, this only saves work.
    private readonly HashSet<string> _knownParticipants = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _brandId = Ids.BrandOf(key);
        _conversationId = Ids.LocalPart(key);
        if (state.State.Exists)
            _counters = await log.LoadCountersAsync(_brandId, _conversationId, cancellationToken) ?? _counters;
    }

    async Task<Outcome<AppendResult>> IConversationGrain.AppendInbound(InboundMessage message)
    {
        var dedupeKey = $"in:{message.ChannelId}:{message.ExternalMessageId}";
        if (await log.FindByDedupeKeyAsync(_brandId, dedupeKey) is { } stored)
            return new AppendResult(stored.ConversationId, stored.MessageId, stored.Seq, stored.AuthorId, Duplicate: true);

        var now = clock.GetUtcNow();
        if (!state.State.Exists)
        {
            state.State = new ConversationState
            {
                Exists = true,
                ChannelId = message.ChannelId,
                Platform = message.Platform,
                Visibility = message.Visibility,
                Kind = message.Visibility == Visibility.Public ? ConversationKind.Public : ConversationKind.Private,
                Status = ConversationStatus.Open,
                CustomerId = message.CustomerId,
                ExternalThreadId = message.ExternalThreadId,
                CreatedAt = now,
            };
            await state.WriteStateAsync();
        }
        else if (state.State.Status == ConversationStatus.Resolved)
        {
            // A customer writing again reopens the conversation, as an agent would expect.
            state.State.Status = ConversationStatus.Open;
            await state.WriteStateAsync();
        }

        var record = NewRecord(AuthorType.Customer, message.CustomerId, message.Text, purpose: null, now,
            sentAt: message.SentAt, message.ExternalMessageId, message.InReplyToExternalMessageId, dedupeKey);
        var newParticipant = _knownParticipants.Contains(message.CustomerId) ? null : message.CustomerId;
        await AppendAsync(record, newParticipant, customerMessage: true);
        return new AppendResult(_conversationId, record.Id, record.Seq, message.CustomerId, Duplicate: false);
    }

    async Task<Outcome<AppendResult>> IConversationGrain.Reply(ReplyRequest reply)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        string? dedupeKey = null;
        if (reply.ClientMessageId is { } clientMessageId)
        {
            dedupeKey = $"out:{_conversationId}:{clientMessageId}";
            if (await log.FindByDedupeKeyAsync(_brandId, dedupeKey) is { } stored)
                return new AppendResult(stored.ConversationId, stored.MessageId, stored.Seq, stored.AuthorId, Duplicate: true);
        }

        var now = clock.GetUtcNow();
        var record = NewRecord(reply.AuthorType, reply.AuthorId, reply.Text, reply.Purpose, now, now, null, null, dedupeKey);
        await AppendAsync(record, newParticipant: null, customerMessage: false);
        return new AppendResult(_conversationId, record.Id, record.Seq, reply.AuthorId, Duplicate: false);
    }

    async Task<Outcome<ConversationView>> IConversationGrain.Get()
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var s = state.State;
        var customers = await log.ParticipantsAsync(_brandId, _conversationId, MaxListedParticipants);
        if (customers.Count == 0 && s.CustomerId is not null) customers.Add(s.CustomerId);
        return new ConversationView(_conversationId, s.ChannelId, s.Visibility, s.Kind, s.Status, customers, s.Assignee,
            s.Controller, s.LinkedConversationIds.ToList(), FromMs(_counters.LastMessageAtMs), WindowClosesAt(),
            _counters.MessageCount, Sentiment: null, s.ExternalThreadId, s.CreatedAt);
    }

    async Task<Outcome<MessagePage>> IConversationGrain.Messages(long afterSeq, int limit)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var rows = await log.ReadAsync(_brandId, _conversationId, afterSeq, limit + 1);
        var items = rows.Take(limit).Select(ToView).ToList();
        long? next = rows.Count > limit ? items[^1].Seq : null;
        return new MessagePage(items, next);
    }

    private MessageRecord NewRecord(AuthorType authorType, string authorId, string text, Purpose? purpose, DateTimeOffset now,
        DateTimeOffset sentAt, string? externalMessageId, string? inReplyTo, string? dedupeKey) =>
        new(_brandId, _conversationId, _counters.LastSeq + 1, Ids.New("msg"), state.State.ChannelId,
            WireNames.Of(authorType), authorId, text, WireNames.Of(state.State.Visibility),
            purpose is { } p ? WireNames.Of(p) : null, now.ToUnixTimeMilliseconds(), sentAt.ToUnixTimeMilliseconds(),
            externalMessageId, inReplyTo, dedupeKey, DeliveryStatus: null);

    private async Task AppendAsync(MessageRecord record, string? newParticipant, bool customerMessage)
    {
        var counters = new ConversationCounters(
            LastSeq: record.Seq,
            MessageCount: _counters.MessageCount + 1,
            LastMessageAtMs: record.CreatedAtMs,
            LastCustomerMessageAtMs: customerMessage ? record.SentAtMs : _counters.LastCustomerMessageAtMs,
            LastActivityMs: Math.Max(record.CreatedAtMs, _counters.LastActivityMs));
        try
        {
            await log.AppendAsync(record, Projection(counters), newParticipant);
        }
        catch
        {
            // The commit may have happened without our knowing: start afresh from what the log says.
            this.DeactivateOnIdle();
            throw;
        }
        _counters = counters;
        if (newParticipant is not null)
        {
            if (_knownParticipants.Count >= KnownParticipantsCap) _knownParticipants.Clear();
            _knownParticipants.Add(newParticipant);
        }
    }

    private ConversationRecord Projection(ConversationCounters counters)
    {
        var s = state.State;
        return new ConversationRecord(_brandId, _conversationId, s.ChannelId, WireNames.Of(s.Visibility), WireNames.Of(s.Kind),
            WireNames.Of(s.Status), s.Assignee, s.Controller, s.CustomerId, s.ExternalThreadId,
            s.CreatedAt.ToUnixTimeMilliseconds(), counters.LastActivityMs, counters.LastMessageAtMs,
            counters.LastCustomerMessageAtMs, counters.MessageCount, counters.LastSeq);
    }

    /// <summary>When the platform stops accepting free-form replies: 24 hours after the customer's last message on Meta's platforms.</summary>
    private DateTimeOffset? WindowClosesAt() =>
        state.State.Platform is Platform.Messenger or Platform.Instagram or Platform.WhatsApp && _counters.LastCustomerMessageAtMs is { } last
            ? DateTimeOffset.FromUnixTimeMilliseconds(last).AddHours(24)
            : null;

    private static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private static MessageView ToView(MessageRecord r) => new(
        r.Seq, r.Id,
        WireNames.TryParse<AuthorType>(r.AuthorType, out var authorType) ? authorType : AuthorType.System,
        r.AuthorId, r.Redacted ? null : r.Body, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
        WireNames.TryParse<Visibility>(r.Visibility, out var visibility) ? visibility : Visibility.Private,
        Sentiment: null, r.DeliveryStatus, r.Redacted, r.ExternalMessageId, r.InReplyTo,
        WireNames.TryParse<Purpose>(r.Purpose, out var purpose) ? purpose : null);
}
