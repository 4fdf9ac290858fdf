using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;
using SocialCrm.Channels.Outbound;
using SocialCrm.Grains.Privacy;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Webhooks;
using SocialCrm.Grains.Insights;
using SocialCrm.Abstractions.Teams;
using SocialCrm.Grains.Automation;
using SocialCrm.Persistence.Automation;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// One thread and its commands. The rules it applies are parts of this folder: who may speak
/// (<see cref="Switchboard"/>), when (<see cref="MessagingWindow"/>), what may be shown publicly
/// (consent, asked of the customer); entries go to its <see cref="ConversationLog"/> and replies leave
/// through its <see cref="OutboundDispatch"/>. Metadata lives in grain state. The grain is not
/// reentrant, so appends to one conversation are ordered and numbered without gaps.
/// </summary>
public sealed class ConversationGrain(
    [PersistentState("conversation", GrainStorage.Name)] IPersistentState<ConversationState> state,
    MessageLog log,
    WebhookStore webhooks,
    OutboundSenders senders,
    IOptions<OutboundOptions> outboundOptions,
    IOptions<ConversationStreamOptions> streamOptions,
    ILogger<ConversationGrain> logger,
    TimeProvider clock,
    MessageReader insights,
    InsightTally tally,
    AutomationStore automationStore,
    AutomationBooks automationBooks) : Grain, IConversationGrain
{
    private const int MaxListedParticipants = 1_000;


    private string _brandId = "";
    private string _conversationId = "";
    private ConversationLog _log = null!;
    private OutboundDispatch _outbound = null!;
    private ConversationAutomation _automation = null!;

    /// <summary>Assignee, team, status, priority and tags: the commands agents and rules route a conversation with.</summary>
    internal ConversationTriage Triage { get; private set; } = null!;

    /// <summary>Who read the messages lately and when that read was audited; in memory only, so a new activation audits afresh.</summary>
    private readonly ReadAudits _readAudits = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _brandId = Ids.BrandOf(key);
        _conversationId = Ids.LocalPart(key);
        var stream = streamOptions.Value.Enabled ? new ConversationStream(this.GetStreamProvider(ConversationStreams.Provider), key, logger) : null;
        _log = new ConversationLog(_brandId, _conversationId, state, log, webhooks, GrainFactory, stream, this.DeactivateOnIdle);
        _outbound = new OutboundDispatch(this, GrainFactory, _brandId, _conversationId, state, _log, log, senders, outboundOptions.Value, logger, clock);
        Triage = new ConversationTriage(_brandId, state, _log, GrainFactory, clock);
        // Runs a crash left pending are found by the automation sweep (ResumeAutomation), not by a read on every activation.
        _automation = new ConversationAutomation(this, GrainFactory, _brandId, _conversationId, state, _log, automationStore, automationBooks,
            logger, clock);
        var row = await log.LoadConversationAsync(_brandId, _conversationId, cancellationToken);
        if (!state.State.Exists)
        {
            if (row is null) return;
            // A conversation opened by a customer's message is recorded by that message's transaction
            // alone, in its projection row: first contact then costs one durable write, not two. Its
            // grain state is first written when something the row does not hold changes.
            var channel = await GrainFactory.GetGrain<IChannelGrain>(Ids.Scoped(_brandId, row.ChannelId)).Get();
            state.State = ConversationState.Of(row, channel?.Platform ?? Platform.WebChat);
        }
        if (row is not null) _log.Resume(row);
        _outbound.Restore(await log.PendingOutboundAsync(_brandId, _conversationId, cancellationToken));
        if (state.State.Kind == ConversationKind.Broadcast)
            _outbound.PlatformPostId = (await log.ReadAsync(_brandId, _conversationId, afterSeq: 0, limit: 1, cancellationToken)).FirstOrDefault()?.ExternalMessageId;
        _outbound.Kick();
    }

    async Task<Outcome<AppendResult>> IConversationGrain.AppendInbound(InboundMessage message)
    {
        // An answer to a post (or, on X, a reply tweet) the service sent: it joins that conversation.
        if (state.State.AliasOf is { } broadcast)
            return await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(_brandId, broadcast)).AppendInbound(message);
        var dedupeKey = $"in:{message.ChannelId}:{message.ExternalMessageId}";
        // A retried webhook is rare: rather than a read before every append, the unique key on the
        // log refuses the second copy, and only then is the first one looked up.
        if (await _log.RecentDuplicateAsync(dedupeKey) is { } recent) return Duplicate(recent);

        var now = clock.GetUtcNow();
        var opens = !state.State.Exists;
        if (opens)
        {
            // Durable with the first message's transaction, through the projection row (see OnActivateAsync).
            state.State = ConversationState.New(message.ChannelId, message.Platform, message.Visibility,
                message.Visibility == Visibility.Public ? ConversationKind.Public : ConversationKind.Private,
                message.CustomerId, message.ExternalThreadId, now);
        }
        else if (state.State.Status == ConversationStatus.Resolved)
        {
            // A customer writing again reopens the conversation, as an agent would expect.
            state.State.Status = ConversationStatus.Open;
            await state.WriteStateAsync();
            await _log.AppendEventAsync(ConversationEvents.StatusChanged, new { from = "resolved", to = "open", by = "customer" }, message.CustomerId, now);
        }

        // The platform's time counts for its window, but never a time in the future.
        var sentAt = message.SentAt > now ? now : message.SentAt;
        // Read in-process before the append, so the score is stored with the text and goes with it.
        var reading = await insights.ReadAsync(_brandId, message.Text);
        var record = _log.NewMessage(AuthorType.Customer, message.CustomerId, message.Text, purpose: null, now, sentAt,
            message.ExternalMessageId, message.InReplyToExternalMessageId, dedupeKey, deliveryStatus: null) with { SentimentScore = reading?.Score };
        var newParticipant = _log.KnowsParticipant(message.CustomerId) ? null : message.CustomerId;
        // The brand's rules decide now, and their decisions commit with the message: a crash after the ack still carries them out.
        var (runs, slaDue) = await _automation.DecideOnMessageAsync(record.Id, message.Text, reading?.Score, now, sentAt, opens);
        if (await _log.AppendAsync(record, newParticipant, customerMessage: true, automationRuns: runs, slaDueAtMs: slaDue) is AppendOutcome.Duplicate duplicate)
            return Duplicate(duplicate.Existing);
        if (runs.Count > 0) _automation.Accept(runs);
        if (reading is not null) tally.Record(_brandId, record.ChannelId, WireNames.Of(record.Visibility), record.SentAtMs, record.Id, reading);
        return new AppendResult(_conversationId, record.Id, record.Seq, message.CustomerId, Duplicate: false);
    }

    async Task<Outcome<AppendResult>> IConversationGrain.Reply(ReplyRequest reply)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        string? dedupeKey = null;
        if (reply.ClientMessageId is { } clientMessageId)
        {
            dedupeKey = $"out:{_conversationId}:{clientMessageId}";
            if (await _log.FindAsync(dedupeKey) is { } stored) return Duplicate(stored);
        }

        if (state.State.CustomerErased) return new Refusal(RefusalKind.Erased, "The customer of this conversation was erased.");
        var now = clock.GetUtcNow();
        var actor = new Actor(reply.AuthorType, reply.AuthorId);
        if (Switchboard.SpeakRefusal(state.State.Controller, actor) is { } notInControl) return notInControl;
        if (MessagingWindow.Check(state.State.Platform, state.State.Visibility, _log.LastCustomerMessageAt,
                reply.AuthorType, reply.HumanAgentTag, now) is { } closed)
            return closed;
        if (reply.Purpose == Purpose.Marketing && await ConsentRule.RefusalAsync(GrainFactory, _brandId, state.State.CustomerId, Purpose.Marketing) is { } noConsent) return noConsent;

        var (answers, answered) = await _log.AnsweredCommentAsync();
        var appended = await AppendOutboundAsync(actor, reply.Text, reply.Purpose, dedupeKey, quotedMessageId: null, now, answers, answered);
        if (answers is not null && answers == state.State.OpenedFromComment)
        {
            // Meta takes one private reply per comment: the next reply goes to the customer's own id.
            state.State.OpenedFromComment = null;
            await state.WriteStateAsync();
        }
        return appended;
    }

    async Task<Outcome<AppendResult>> IConversationGrain.CreatePost(PostRequest post)
    {
        if (state.State.Exists) return Refusal.Conflict("A conversation already exists for this thread.");
        var now = clock.GetUtcNow();
        state.State = ConversationState.New(post.ChannelId, post.Platform, Visibility.Public, ConversationKind.Broadcast, customerId: null,
            post.ExternalThreadId, now);
        await state.WriteStateAsync();
        return await AppendOutboundAsync(post.Author, post.Text, post.Purpose, dedupeKey: null, quotedMessageId: null, now, inReplyTo: null);
    }

    async Task<Outcome<string>> IConversationGrain.TakePrivate(TakePrivateRequest request)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        if (state.State.Visibility != Visibility.Public)
            return new Refusal(RefusalKind.Visibility, "Only a public thread can be taken private.");
        if (Switchboard.SpeakRefusal(state.State.Controller, request.Actor) is { } notInControl) return notInControl;

        var named = await _log.CustomerMessageAsync(request.MessageId, "taken private");
        if (named.Value is not { } taken) return named.Refusal!;
        var (customerId, wroteAt, takenExternalId) = (taken.CustomerId, DateTimeOffset.FromUnixTimeMilliseconds(taken.SentAtMs), taken.ExternalMessageId);

        var privateId = ConversationAddress.ForPrivate(state.State.ChannelId, customerId);
        var opened = await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(_brandId, privateId)).OpenPrivate(
            new PrivateOpening(state.State.ChannelId, state.State.Platform, customerId, _conversationId, wroteAt, request.Actor, takenExternalId));
        if (opened.Refusal is { } refused) return refused;

        var now = clock.GetUtcNow();
        if (!state.State.LinkedConversationIds.Contains(privateId))
        {
            state.State.LinkedConversationIds.Add(privateId);
            await state.WriteStateAsync();
            await _log.AppendEventAsync(ConversationEvents.TakenPrivate, new { to = privateId, customerId, by = request.Actor.Id }, request.Actor.Id, now);
        }
        if (!string.IsNullOrWhiteSpace(request.PublicReply))
            await AppendOutboundAsync(request.Actor, request.PublicReply, Purpose.Service, dedupeKey: null, quotedMessageId: null, now, takenExternalId,
                about: customerId);
        return privateId;
    }

    async Task<Outcome<bool>> IConversationGrain.OpenPrivate(PrivateOpening opening)
    {
        var now = clock.GetUtcNow();
        if (state.State.Exists && state.State.Visibility != Visibility.Private)
            return new Refusal(RefusalKind.Visibility, "The target is not a private conversation.");
        var linkIsNew = !state.State.LinkedConversationIds.Contains(opening.FromConversationId);
        if (!state.State.Exists)
        {
            state.State = ConversationState.New(opening.ChannelId, opening.Platform, Visibility.Private, ConversationKind.Private,
                opening.CustomerId, externalThreadId: null, now);
        }
        // A private reply to a public comment is allowed within the comment's window, as on the platforms.
        var wroteAtMs = Math.Max(opening.CustomerWroteAt.ToUnixTimeMilliseconds(), _log.Counters.LastCustomerMessageAtMs ?? 0);
        if (opening.FromExternalMessageId is { } comment && comment != state.State.OpenedFromComment)
        {
            state.State.OpenedFromComment = comment;
            if (!linkIsNew) await state.WriteStateAsync();
        }
        if (!linkIsNew)
        {
            // Already linked: a newer comment taken private still moves the window, in the projection the grain reloads from.
            if (wroteAtMs != _log.Counters.LastCustomerMessageAtMs) await _log.MoveWindowAsync(wroteAtMs);
            return true;
        }
        state.State.LinkedConversationIds.Add(opening.FromConversationId);
        await state.WriteStateAsync();
        _log.MoveWindow(wroteAtMs);
        await _log.AppendEventAsync(ConversationEvents.OpenedFromPublic, new { from = opening.FromConversationId, by = opening.Actor.Id },
            opening.Actor.Id, now, newParticipant: opening.CustomerId);
        await _automation.DecideOnTakenPrivateAsync(now);
        return true;
    }

    async Task<Outcome<AppendResult>> IConversationGrain.PublishTo(PublishRequest request)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var found = await log.FindByIdAsync(_brandId, request.MessageId);
        if (found is null || found.ConversationId != _conversationId) return Refusal.NotFound("Message");
        if (found.Redacted || found.Body is null) return new Refusal(RefusalKind.Erased, "The message's text was erased.");
        if (found.AuthorType != AuthorType.Customer)
            return Refusal.Invalid("messageId", "Only a customer's message can be published.");
        if (request.TargetConversationId == _conversationId)
            return new Refusal(RefusalKind.Visibility, "A message cannot be published into its own conversation.");
        return await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(_brandId, request.TargetConversationId))
            .AppendQuote(new Quote(_conversationId, request.MessageId, found.AuthorId, found.Body, request.Actor));
    }

    async Task<Outcome<AppendResult>> IConversationGrain.AppendQuote(Quote quote)
    {
        if (!state.State.Exists) return Refusal.NotFound("Target conversation");
        if (state.State.Visibility != Visibility.Public)
            return new Refusal(RefusalKind.Visibility, "Private words can only be published into a public thread.");
        if (Switchboard.SpeakRefusal(state.State.Controller, quote.Actor) is { } notInControl) return notInControl;
        // Every path that shows a customer's private words publicly passes here.
        if (await ConsentRule.RefusalAsync(GrainFactory, _brandId, quote.AuthorCustomerId, Purpose.PublicDisplay,
                "The author has not granted public_display consent.") is { } noConsent)
            return noConsent;
        return await AppendOutboundAsync(quote.Actor, quote.Text, Purpose.Service, dedupeKey: null, quote.MessageId, clock.GetUtcNow(), inReplyTo: null,
            about: quote.AuthorCustomerId);
    }

    async Task<Outcome<string>> IConversationGrain.ChangeControl(ControlChange change)
    {
        if (!ControlRoles.MayMake(change.Action, change.Actor.Type)) return ControlRoles.NotYourMove;
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var current = state.State.Controller;
        var outcome = Switchboard.Next(current, change);
        if (outcome.Value is not { } next || next == current) return outcome;
        state.State.Controller = next;
        await state.WriteStateAsync();
        await _log.AppendEventAsync(ConversationEvents.ControlChanged, new { from = current, to = next, by = change.Actor.Id }, change.Actor.Id, clock.GetUtcNow());
        return next;
    }

    Task<Outcome<ConversationView>> IConversationGrain.Assign(string? agentId, Actor actor) => ThenViewAsync(Triage.AssignAsync(agentId, actor));

    Task<Outcome<ConversationView>> IConversationGrain.SetStatus(ConversationStatus status, Actor actor) => ThenViewAsync(Triage.SetStatusAsync(status, actor));

    Task<Outcome<ConversationView>> IConversationGrain.SetPriority(ConversationPriority priority, Actor actor) => ThenViewAsync(Triage.SetPriorityAsync(priority, actor));

    Task<Outcome<ConversationView>> IConversationGrain.SetTags(IReadOnlyList<string> tags, Actor actor) => ThenViewAsync(Triage.SetTagsAsync(tags, actor));

    Task<Outcome<ConversationView>> IConversationGrain.AssignTeam(string? teamId, string? agentId, Actor actor) =>
        ThenViewAsync(Triage.AssignTeamAsync(teamId, agentId, actor));

    async Task<Outcome<ConversationView>> IConversationGrain.MarkSeen(Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        if (actor.Type == AuthorType.Agent) await _log.MarkSeenAsync();
        return await ((IConversationGrain)this).Get();
    }

    /// <summary>The answer of a command to the API: the conversation as it now stands, so the caller makes one call.</summary>
    private async Task<Outcome<ConversationView>> ThenViewAsync(Task<Refusal?> command) =>
        await command is { } refused ? refused : await ((IConversationGrain)this).Get();

    async Task IConversationGrain.ForgetCustomer(string customerId)
    {
        _outbound.Clear();
        if (state.State.CustomerId == customerId && state.State.Visibility == Visibility.Private && !state.State.CustomerErased)
        {
            state.State.CustomerErased = true;
            state.State.OpenedFromComment = null;
            // The platform's id of a private thread can name the person (a WhatsApp chat is their number).
            state.State.ExternalThreadId = null;
            await state.WriteStateAsync();
            // The projection's copy went with the erasure's transaction.
            _log.ForgetSentiment();
        }
    }

    async Task IConversationGrain.PointTo(string conversationId)
    {
        if (state.State.Exists || state.State.AliasOf == conversationId) return;
        state.State.AliasOf = conversationId;
        await state.WriteStateAsync();
    }

    async Task IConversationGrain.ResumeAutomation()
    {
        _automation.Restore(await automationStore.PendingAsync(_brandId, _conversationId));
        _automation.Schedule();
    }

    Task IConversationGrain.CheckNoAgentReply() => _automation.CheckSlaAsync();

    Task IConversationGrain.ResumeOutbound()
    {
        _outbound.Kick();
        return Task.CompletedTask;
    }

    async Task<Outcome<ConversationView>> IConversationGrain.Get()
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var s = state.State;
        var counters = _log.Counters;
        var customers = await log.ParticipantsAsync(_brandId, _conversationId, MaxListedParticipants);
        if (customers.Count == 0 && s.CustomerId is not null) customers.Add(s.CustomerId);
        return new ConversationView(_conversationId, s.ChannelId, s.Visibility, s.Kind, s.Status, customers, s.Assignee,
            s.Controller, s.LinkedConversationIds.ToList(),
            counters.LastMessageAtMs is { } lastMs ? DateTimeOffset.FromUnixTimeMilliseconds(lastMs) : null,
            MessagingWindow.ClosesAt(s.Platform, s.Visibility, _log.LastCustomerMessageAt),
            counters.MessageCount, Sentiments.View(counters.SentimentScore), s.ExternalThreadId, s.CreatedAt,
            s.Tags.ToList(), s.Priority, s.TeamId, counters.UnreadCount);
    }

    async Task<Outcome<MessagePage>> IConversationGrain.Messages(long afterSeq, int limit)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        // Message text is personal data: a person's reads are in the audit log (see ReadAudits for how often).
        var now = clock.GetUtcNow();
        if (ActorContext.Current is { } reader && _readAudits.IsDue(reader, now))
        {
            await Audit.RecordAsync(GrainFactory, _brandId, "messages.read", state.State.CustomerId, "conversations/" + _conversationId);
            _readAudits.Audited(reader, now);
        }
        var rows = await log.ReadAsync(_brandId, _conversationId, afterSeq, limit + 1);
        var items = rows.Take(limit).Select(MessageViews.Of).ToList();
        long? next = rows.Count > limit ? items[^1].Seq : null;
        return new MessagePage(items, next);
    }

    /// <param name="about">The customer a public message answers or quotes: its webhook payloads are erased with them.</param>
    private async Task<AppendResult> AppendOutboundAsync(Actor actor, string text, Purpose purpose, string? dedupeKey,
        string? quotedMessageId, DateTimeOffset now, string? inReplyTo, string? about = null)
    {
        var record = _log.NewMessage(actor.Type, actor.Id, text, purpose, now, now, null, inReplyTo, dedupeKey, DeliveryStatus.Pending)
            with { QuotedMessageId = quotedMessageId };
        // A second copy of a client's reply raced past the look-up (on another silo): it gets the first copy's ids.
        if (await _log.AppendAsync(record, newParticipant: null, customerMessage: false, about) is AppendOutcome.Duplicate duplicate)
            return Duplicate(duplicate.Existing);
        _outbound.Enqueue(new PendingDelivery(record.Seq, record.Id, record.Body, Attempts: 0, inReplyTo, record.AuthorType));
        _outbound.Kick();
        return new AppendResult(_conversationId, record.Id, record.Seq, actor.Id, Duplicate: false);
    }

    private static AppendResult Duplicate(StoredMessageRef stored) =>
        new(stored.ConversationId, stored.MessageId, stored.Seq, stored.AuthorId, Duplicate: true);
}
