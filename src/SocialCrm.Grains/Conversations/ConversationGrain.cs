using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Telemetry;
using SocialCrm.Channels.Outbound;
using SocialCrm.Grains.Channels;
using SocialCrm.Grains.Privacy;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Storage;
using SocialCrm.Persistence.Webhooks;

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
    /// <summary>The private customer was erased: nothing more is sent to them.</summary>
    [Id(12)] public bool CustomerErased { get; set; }
    /// <summary>The platform's id of the public comment this private conversation was just taken from, until a reply goes by it.</summary>
    [Id(13)] public string? OpenedFromComment { get; set; }
    /// <summary>This address holds no thread of its own: it is the platform's id of a post or reply tweet of that conversation.</summary>
    [Id(14)] public string? AliasOf { get; set; }
}

/// <summary>Whether conversations publish their events on Orleans streams (configuration section <c>Streams</c>).</summary>
public sealed class ConversationStreamOptions
{
    public const string Section = "Streams";

    /// <summary>Off by default: memory streams cost CPU on every message even with no subscriber.</summary>
    public bool Enabled { get; set; }
}

/// <summary>Who controls a conversation: the human inbox, or a bot named <c>bot:{id}</c>.</summary>
public static class Controllers
{
    public const string Human = "human";

    public static string Bot(string botId) => "bot:" + botId;
}

/// <summary>
/// One thread and the rules that hold in it: who may speak (the switchboard), when (the platform's
/// window), what may be shown publicly (consent), and how replies leave (an outbox in the log).
/// Metadata lives in grain state; messages and events go to the append-only log through the group
/// commit, with the inbox projection moved in the same transaction. The grain is not reentrant, so
/// appends to one conversation are ordered and numbered without gaps.
/// </summary>
public sealed class ConversationGrain(
    [PersistentState("conversation", GrainStorage.Name)] IPersistentState<ConversationState> state,
    MessageLog log,
    WebhookStore webhooks,
    OutboundSenders senders,
    IOptions<OutboundOptions> outboundOptions,
    IOptions<ConversationStreamOptions> streamOptions,
    ILogger<ConversationGrain> logger,
    TimeProvider clock) : Grain, IConversationGrain
{
    private const int KnownParticipantsCap = 10_000;
    private const int MaxListedParticipants = 1_000;

    private string _brandId = "";
    private string _conversationId = "";
    private ConversationCounters _counters = new(0, 0, null, null, 0);
    // Participants already recorded in this activation; the insert is idempotent, this only saves work.
    private readonly HashSet<string> _knownParticipants = [];
    private const int RecentDedupeKeysCap = 256;
    private readonly HashSet<string> _recentDedupeKeys = [];
    // The outbox of this conversation, in seq order: the head holds back the rest, so replies arrive in order.
    private readonly List<PendingDelivery> _outbox = [];
    private bool _dispatching;
    private IGrainTimer? _retryTimer;
    private readonly bool _streamsEnabled = streamOptions.Value.Enabled;
    // A broadcast's post as the platform named it once published (its first message's external id).
    private string? _platformPostId;

    private OutboundOptions Outbound => outboundOptions.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _brandId = Ids.BrandOf(key);
        _conversationId = Ids.LocalPart(key);
        var row = await log.LoadConversationAsync(_brandId, _conversationId, cancellationToken);
        if (!state.State.Exists)
        {
            if (row is null) return;
            // A conversation opened by a customer's message is recorded by that message's transaction
            // alone, in its projection row: first contact then costs one durable write, not two. Its
            // grain state is first written when something the row does not hold changes.
            var channel = await GrainFactory.GetGrain<IChannelGrain>(Ids.Scoped(_brandId, row.ChannelId)).Get();
            state.State = StateOf(row, channel?.Platform ?? Platform.WebChat);
        }
        if (row is not null)
            _counters = new ConversationCounters(row.LastSeq, row.MessageCount, row.LastMessageAtMs, row.LastCustomerMessageAtMs, row.LastActivityMs);
        // Replies accepted before a crash or a move to another silo are still owed a send.
        _outbox.AddRange(await log.PendingOutboundAsync(_brandId, _conversationId, cancellationToken));
        if (state.State.Kind == ConversationKind.Broadcast)
            _platformPostId = (await log.ReadAsync(_brandId, _conversationId, afterSeq: 0, limit: 1, cancellationToken)).FirstOrDefault()?.ExternalMessageId;
        KickOutbound();
    }

    async Task<Outcome<AppendResult>> IConversationGrain.AppendInbound(InboundMessage message)
    {
        // An answer to a post (or, on X, a reply tweet) the service sent: it joins that conversation.
        if (state.State.AliasOf is { } broadcast)
            return await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(_brandId, broadcast)).AppendInbound(message);
        var dedupeKey = $"in:{message.ChannelId}:{message.ExternalMessageId}";
        // A retried webhook is rare: rather than a read before every append, the unique key on the
        // log refuses the second copy, and only then is the first one looked up.
        if (_recentDedupeKeys.Contains(dedupeKey) && await log.FindByDedupeKeyAsync(_brandId, dedupeKey) is { } recent)
            return Duplicate(recent);

        var now = clock.GetUtcNow();
        if (!state.State.Exists)
        {
            // Durable with the first message's transaction, through the projection row (see OnActivateAsync).
            state.State = NewState(message.ChannelId, message.Platform, message.Visibility,
                message.Visibility == Visibility.Public ? ConversationKind.Public : ConversationKind.Private,
                message.CustomerId, message.ExternalThreadId, now);
        }
        else if (state.State.Status == ConversationStatus.Resolved)
        {
            // A customer writing again reopens the conversation, as an agent would expect.
            state.State.Status = ConversationStatus.Open;
            await state.WriteStateAsync();
            await AppendEventAsync("status-changed", new { from = "resolved", to = "open", by = "customer" }, message.CustomerId, now);
        }

        // The platform's time counts for its window, but never a time in the future.
        var sentAt = message.SentAt > now ? now : message.SentAt;
        var record = NewMessage(AuthorType.Customer, message.CustomerId, message.Text, purpose: null, now, sentAt,
            message.ExternalMessageId, message.InReplyToExternalMessageId, dedupeKey, deliveryStatus: null);
        var newParticipant = _knownParticipants.Contains(message.CustomerId) ? null : message.CustomerId;
        try
        {
            await AppendAsync(record, newParticipant, customerMessage: true);
        }
        catch (DuplicateAppendException duplicate)
        {
            return Duplicate(duplicate.Stored);
        }
        return new AppendResult(_conversationId, record.Id, record.Seq, message.CustomerId, Duplicate: false);
    }

    async Task<Outcome<AppendResult>> IConversationGrain.Reply(ReplyRequest reply)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        string? dedupeKey = null;
        if (reply.ClientMessageId is { } clientMessageId)
        {
            dedupeKey = $"out:{_conversationId}:{clientMessageId}";
            if (await log.FindByDedupeKeyAsync(_brandId, dedupeKey) is { } stored) return Duplicate(stored);
        }

        if (state.State.CustomerErased) return new Refusal(RefusalKind.Erased, "The customer of this conversation was erased.");
        var now = clock.GetUtcNow();
        var actor = new Actor(reply.AuthorType, reply.AuthorId);
        if (ControlRefusal(actor) is { } notInControl) return notInControl;
        if (MessagingWindow.Check(state.State.Platform, state.State.Visibility, FromMs(_counters.LastCustomerMessageAtMs),
                reply.AuthorType, reply.HumanAgentTag, now) is { } closed)
            return closed;
        if (reply.Purpose == Purpose.Marketing && await ConsentRefusal(Purpose.Marketing) is { } noConsent) return noConsent;

        var (answers, answered) = await AnsweredCommentAsync();
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
        state.State = NewState(post.ChannelId, post.Platform, Visibility.Public, ConversationKind.Broadcast, customerId: null,
            post.ExternalThreadId, now);
        await state.WriteStateAsync();
        return await AppendOutboundAsync(post.Author, post.Text, post.Purpose, dedupeKey: null, quotedMessageId: null, now, inReplyTo: null);
    }

    async Task<Outcome<string>> IConversationGrain.TakePrivate(TakePrivateRequest request)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        if (state.State.Visibility != Visibility.Public)
            return new Refusal(RefusalKind.Visibility, "Only a public thread can be taken private.");
        if (ControlRefusal(request.Actor) is { } notInControl) return notInControl;

        string customerId;
        DateTimeOffset wroteAt;
        string? takenExternalId;
        if (request.MessageId is { } messageId)
        {
            var found = await log.FindByIdAsync(_brandId, messageId);
            if (found is null || found.ConversationId != _conversationId) return Refusal.NotFound("Message");
            if (found.AuthorType != WireNames.Of(AuthorType.Customer))
                return Refusal.Invalid("messageId", "Only a customer's message can be taken private.");
            (customerId, wroteAt, takenExternalId) = (found.AuthorId, DateTimeOffset.FromUnixTimeMilliseconds(found.SentAtMs), found.ExternalMessageId);
        }
        else
        {
            if (await log.LatestCustomerMessageAsync(_brandId, _conversationId) is not { } latest)
                return Refusal.NotFound("A customer message in this conversation");
            (customerId, wroteAt, takenExternalId) = (latest.CustomerId, DateTimeOffset.FromUnixTimeMilliseconds(latest.SentAtMs), latest.ExternalMessageId);
        }

        var privateId = ConversationAddress.ForPrivate(state.State.ChannelId, customerId);
        var opened = await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(_brandId, privateId)).OpenPrivate(
            new PrivateOpening(state.State.ChannelId, state.State.Platform, customerId, _conversationId, wroteAt, request.Actor, takenExternalId));
        if (opened.Refusal is { } refused) return refused;

        var now = clock.GetUtcNow();
        if (!state.State.LinkedConversationIds.Contains(privateId))
        {
            state.State.LinkedConversationIds.Add(privateId);
            await state.WriteStateAsync();
            await AppendEventAsync("taken-private", new { to = privateId, customerId, by = request.Actor.Id }, request.Actor.Id, now);
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
            state.State = NewState(opening.ChannelId, opening.Platform, Visibility.Private, ConversationKind.Private,
                opening.CustomerId, externalThreadId: null, now);
        }
        // A private reply to a public comment is allowed within the comment's window, as on the platforms.
        var wroteAtMs = Math.Max(opening.CustomerWroteAt.ToUnixTimeMilliseconds(), _counters.LastCustomerMessageAtMs ?? 0);
        if (opening.FromExternalMessageId is { } comment && comment != state.State.OpenedFromComment)
        {
            state.State.OpenedFromComment = comment;
            if (!linkIsNew) await state.WriteStateAsync();
        }
        if (!linkIsNew)
        {
            // Already linked: a newer comment taken private still moves the window, in the projection the grain reloads from.
            if (wroteAtMs != _counters.LastCustomerMessageAtMs)
            {
                _counters = _counters with { LastCustomerMessageAtMs = wroteAtMs };
                await log.SaveProjectionAsync(Projection(_counters));
            }
            return true;
        }
        state.State.LinkedConversationIds.Add(opening.FromConversationId);
        await state.WriteStateAsync();
        _counters = _counters with { LastCustomerMessageAtMs = wroteAtMs };
        await AppendEventAsync("opened-from-public", new { from = opening.FromConversationId, by = opening.Actor.Id },
            opening.Actor.Id, now, newParticipant: opening.CustomerId);
        return true;
    }

    async Task<Outcome<AppendResult>> IConversationGrain.PublishTo(PublishRequest request)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var found = await log.FindByIdAsync(_brandId, request.MessageId);
        if (found is null || found.ConversationId != _conversationId) return Refusal.NotFound("Message");
        if (found.Redacted || found.Body is null) return new Refusal(RefusalKind.Erased, "The message's text was erased.");
        if (found.AuthorType != WireNames.Of(AuthorType.Customer))
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
        if (ControlRefusal(quote.Actor) is { } notInControl) return notInControl;
        // Every path that shows a customer's private words publicly passes here.
        if (!await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(_brandId, quote.AuthorCustomerId)).Allows(Purpose.PublicDisplay))
            return CountRefusal(Purpose.PublicDisplay, new Refusal(RefusalKind.ConsentRequired, "The author has not granted public_display consent."));
        return await AppendOutboundAsync(quote.Actor, quote.Text, Purpose.Service, dedupeKey: null, quote.MessageId, clock.GetUtcNow(), inReplyTo: null,
            about: quote.AuthorCustomerId);
    }

    async Task<Outcome<string>> IConversationGrain.ChangeControl(ControlChange change)
    {
        if (!ControlRoles.MayMake(change.Action, change.Actor.Type)) return ControlRoles.NotYourMove;
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var current = state.State.Controller;
        string next;
        switch (change.Action)
        {
            case ControlAction.PassToBot when change.Actor.Type == AuthorType.Agent:
                if (!Ids.IsValid(change.BotId)) return Refusal.Invalid("botId", "pass-to-bot names the bot.");
                if (current != Controllers.Human) return NotInControl("A bot controls this conversation: take it first.");
                next = Controllers.Bot(change.BotId!);
                break;
            case ControlAction.PassToHuman when change.Actor.Type == AuthorType.Bot:
                if (current != Controllers.Bot(change.Actor.Id)) return NotInControl("This bot does not control the conversation.");
                next = Controllers.Human;
                break;
            case ControlAction.Take when change.Actor.Type == AuthorType.Agent:
                next = Controllers.Human;
                break;
            default:
                return new Refusal(RefusalKind.Forbidden, "This caller may not take that action.");
        }
        if (next == current) return current;
        state.State.Controller = next;
        await state.WriteStateAsync();
        await AppendEventAsync("control-changed", new { from = current, to = next, by = change.Actor.Id }, change.Actor.Id, clock.GetUtcNow());
        return next;
    }

    async Task<Outcome<ConversationView>> IConversationGrain.Assign(string? agentId, Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var previous = state.State.Assignee;
        if (previous == agentId) return await ViewAsync();
        state.State.Assignee = agentId;
        await state.WriteStateAsync();
        await AppendEventAsync("assignee-changed", new { from = previous, to = agentId, by = actor.Id }, actor.Id, clock.GetUtcNow());
        return await ViewAsync();
    }

    async Task<Outcome<ConversationView>> IConversationGrain.SetStatus(ConversationStatus status, Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var previous = state.State.Status;
        if (previous == status) return await ViewAsync();
        state.State.Status = status;
        await state.WriteStateAsync();
        await AppendEventAsync("status-changed", new { from = WireNames.Of(previous), to = WireNames.Of(status), by = actor.Id },
            actor.Id, clock.GetUtcNow());
        return await ViewAsync();
    }

    async Task IConversationGrain.ForgetCustomer(string customerId)
    {
        // Their pending replies were cancelled in the log by the erasure; drop the copies this activation holds.
        _outbox.Clear();
        if (state.State.CustomerId == customerId && state.State.Visibility == Visibility.Private && !state.State.CustomerErased)
        {
            state.State.CustomerErased = true;
            state.State.OpenedFromComment = null;
            // The platform's id of a private thread can name the person (a WhatsApp chat is their number).
            state.State.ExternalThreadId = null;
            await state.WriteStateAsync();
        }
    }

    async Task IConversationGrain.PointTo(string conversationId)
    {
        if (state.State.Exists || state.State.AliasOf == conversationId) return;
        state.State.AliasOf = conversationId;
        await state.WriteStateAsync();
    }

    Task IConversationGrain.ResumeOutbound()
    {
        KickOutbound();
        return Task.CompletedTask;
    }

    // Assign and SetStatus answer with the conversation as it now stands, so the API makes one call.
    private Task<Outcome<ConversationView>> ViewAsync() => ((IConversationGrain)this).Get();

    async Task<Outcome<ConversationView>> IConversationGrain.Get()
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var s = state.State;
        var customers = await log.ParticipantsAsync(_brandId, _conversationId, MaxListedParticipants);
        if (customers.Count == 0 && s.CustomerId is not null) customers.Add(s.CustomerId);
        return new ConversationView(_conversationId, s.ChannelId, s.Visibility, s.Kind, s.Status, customers, s.Assignee,
            s.Controller, s.LinkedConversationIds.ToList(), FromMs(_counters.LastMessageAtMs),
            MessagingWindow.ClosesAt(s.Platform, s.Visibility, FromMs(_counters.LastCustomerMessageAtMs)),
            _counters.MessageCount, Sentiment: null, s.ExternalThreadId, s.CreatedAt);
    }

    async Task<Outcome<MessagePage>> IConversationGrain.Messages(long afterSeq, int limit)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        // Message text is personal data: every read by a person is in the audit log.
        if (ActorContext.Current is not null)
            await Audit.RecordAsync(GrainFactory, _brandId, "messages.read", state.State.CustomerId, "conversations/" + _conversationId);
        var rows = await log.ReadAsync(_brandId, _conversationId, afterSeq, limit + 1);
        var items = rows.Take(limit).Select(ToView).ToList();
        long? next = rows.Count > limit ? items[^1].Seq : null;
        return new MessagePage(items, next);
    }

    private Refusal? ControlRefusal(Actor actor) => actor.Type switch
    {
        AuthorType.Bot when state.State.Controller != Controllers.Bot(actor.Id) =>
            NotInControl(state.State.Controller == Controllers.Human ? "Humans control this conversation." : "Another bot controls this conversation."),
        AuthorType.Agent when state.State.Controller != Controllers.Human =>
            NotInControl("A bot controls this conversation: take it first."),
        AuthorType.Agent or AuthorType.Bot => null,
        // Customers and the system never speak through the switchboard.
        _ => new Refusal(RefusalKind.Forbidden, "Only agents and bots reply."),
    };

    private static Refusal NotInControl(string detail) => new(RefusalKind.NotInControl, detail);

    private async Task<Refusal?> ConsentRefusal(Purpose purpose)
    {
        if (state.State.CustomerId is not { } customerId) return null;
        var allowed = await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(_brandId, customerId)).Allows(purpose);
        return allowed ? null : CountRefusal(purpose, new Refusal(RefusalKind.ConsentRequired, $"The customer has not granted {WireNames.Of(purpose)} consent."));
    }

    private static Refusal CountRefusal(Purpose purpose, Refusal refusal)
    {
        SocialCrmMetrics.ConsentRefusals.Add(1, new KeyValuePair<string, object?>("purpose", WireNames.Of(purpose)));
        return refusal;
    }

    private static ConversationState NewState(string channelId, Platform platform, Visibility visibility, ConversationKind kind,
        string? customerId, string? externalThreadId, DateTimeOffset now) => new()
    {
        Exists = true,
        ChannelId = channelId,
        Platform = platform,
        Visibility = visibility,
        Kind = kind,
        Status = ConversationStatus.Open,
        CustomerId = customerId,
        ExternalThreadId = externalThreadId,
        CreatedAt = now,
    };

    private static ConversationState StateOf(ConversationRecord row, Platform platform) => new()
    {
        Exists = true,
        ChannelId = row.ChannelId,
        Platform = platform,
        Visibility = WireNames.TryParse<Visibility>(row.Visibility, out var visibility) ? visibility : Visibility.Private,
        Kind = WireNames.TryParse<ConversationKind>(row.Kind, out var kind) ? kind : ConversationKind.Private,
        Status = WireNames.TryParse<ConversationStatus>(row.Status, out var status) ? status : ConversationStatus.Open,
        Assignee = row.Assignee,
        Controller = row.Controller,
        CustomerId = row.CustomerId,
        ExternalThreadId = row.ExternalThreadId,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs),
    };

    /// <summary>
    /// The platform comment a reply answers. In a public thread, the newest one, as an agent replying
    /// under it on the platform would. In a conversation just taken private from a comment, where the
    /// customer has not written privately yet, that comment: Meta delivers such a first private reply by it.
    /// With it, the customer who wrote it, whom the reply is about.
    /// </summary>
    private async Task<(string? ExternalId, string? CustomerId)> AnsweredCommentAsync()
    {
        if (state.State.Visibility == Visibility.Public)
            return await log.LatestCustomerMessageAsync(_brandId, _conversationId) is { } latest ? (latest.ExternalMessageId, latest.CustomerId) : (null, null);
        if (state.State.OpenedFromComment is { } comment && await log.LatestCustomerMessageAsync(_brandId, _conversationId) is null)
            return (comment, state.State.CustomerId);
        return (null, null);
    }

    /// <param name="about">The customer a public message answers or quotes: its webhook payloads are erased with them.</param>
    private async Task<AppendResult> AppendOutboundAsync(Actor actor, string text, Purpose purpose, string? dedupeKey,
        string? quotedMessageId, DateTimeOffset now, string? inReplyTo, string? about = null)
    {
        var record = NewMessage(actor.Type, actor.Id, text, purpose, now, now, null, inReplyTo, dedupeKey, DeliveryStates.Pending)
            with { QuotedMessageId = quotedMessageId };
        await AppendAsync(record, newParticipant: null, customerMessage: false, about);
        _outbox.Add(new PendingDelivery(record.Seq, record.Id, record.Body, Attempts: 0, inReplyTo, record.AuthorType));
        KickOutbound();
        return new AppendResult(_conversationId, record.Id, record.Seq, actor.Id, Duplicate: false);
    }

    private Task AppendEventAsync(string type, object data, string actorId, DateTimeOffset now, string? newParticipant = null)
    {
        var record = NewMessage(AuthorType.System, actorId, text: null, purpose: null, now, now, null, null, null, null)
            with { EventType = type, EventData = JsonSerializer.Serialize(data, JsonSerializerOptions.Web) };
        return AppendAsync(record, newParticipant, customerMessage: false);
    }

    private MessageRecord NewMessage(AuthorType authorType, string authorId, string? text, Purpose? purpose, DateTimeOffset now,
        DateTimeOffset sentAt, string? externalMessageId, string? inReplyTo, string? dedupeKey, string? deliveryStatus) =>
        new(_brandId, _conversationId, _counters.LastSeq + 1, Ids.NewTimeOrdered(Ids.MessagePrefix, now), state.State.ChannelId,
            WireNames.Of(authorType), authorId, text, WireNames.Of(state.State.Visibility),
            purpose is { } p ? WireNames.Of(p) : null, now.ToUnixTimeMilliseconds(), sentAt.ToUnixTimeMilliseconds(),
            externalMessageId, inReplyTo, dedupeKey, deliveryStatus);

    private async Task AppendAsync(MessageRecord record, string? newParticipant, bool customerMessage, string? about = null)
    {
        var isEvent = record.EventType is not null;
        var counters = new ConversationCounters(
            LastSeq: record.Seq,
            MessageCount: _counters.MessageCount + (isEvent ? 0 : 1),
            LastMessageAtMs: isEvent ? _counters.LastMessageAtMs : record.CreatedAtMs,
            // A webhook delivered late carries an older time: the window counts from the newest message.
            LastCustomerMessageAtMs: customerMessage ? Math.Max(record.SentAtMs, _counters.LastCustomerMessageAtMs ?? 0) : _counters.LastCustomerMessageAtMs,
            LastActivityMs: Math.Max(record.CreatedAtMs, _counters.LastActivityMs));
        // The outbox: each subscribed bot's delivery commits with the event itself, or not at all.
        // Payloads are only built when someone listens: most brands have no bot on most messages.
        var subscriptions = await webhooks.SubscriptionsAsync(_brandId);
        var events = subscriptions.Count > 0 || _streamsEnabled ? EventsOf(record, firstEntry: _counters.LastSeq == 0, about) : [];
        var deliveries = events.SelectMany(e => WebhookStore.DeliveryStatements(_brandId, subscriptions, e)).ToList();
        try
        {
            await log.AppendAsync(record, Projection(counters), newParticipant, deliveries);
        }
        catch (Exception ex)
        {
            if (ex is DbException db && Dialects.IsUniqueViolation(db) && record.DedupeKey is not null
                && await log.FindByDedupeKeyAsync(_brandId, record.DedupeKey) is { } stored)
            {
                // Nothing was written: the counters stand, and the caller gets the first copy's ids.
                RememberDedupeKey(record.DedupeKey);
                throw new DuplicateAppendException(stored);
            }
            // The commit may have happened without our knowing: start afresh from what the log says.
            this.DeactivateOnIdle();
            throw;
        }
        if (record.DedupeKey is not null) RememberDedupeKey(record.DedupeKey);
        _counters = counters;
        if (newParticipant is not null)
        {
            if (_knownParticipants.Count >= KnownParticipantsCap) _knownParticipants.Clear();
            _knownParticipants.Add(newParticipant);
        }
        if (deliveries.Count > 0)
        {
            foreach (var subscription in subscriptions.Where(s => events.Any(e => s.Events.Contains(e.Type))))
                GrainFactory.GetGrain<IWebhookGrain>(Ids.Scoped(_brandId, subscription.Id)).Kick().Ignore();
        }
        await PublishAsync(events);
    }

    /// <summary>What bots hear of a log entry: a new conversation, a new message, or a change of control, status or assignee.</summary>
    private List<WebhookEvent> EventsOf(MessageRecord record, bool firstEntry, string? aboutCustomer)
    {
        var events = new List<WebhookEvent>(2);
        var lane = _conversationId;
        var privateCustomer = state.State.Visibility == Visibility.Private ? state.State.CustomerId : null;
        if (firstEntry)
        {
            // Lane order: the conversation's creation just before its first entry (seq × 2 − 1, then seq × 2).
            events.Add(new WebhookEvent(EventTypes.ConversationCreated, lane, record.Seq * 2 - 1, privateCustomer, JsonSerializer.Serialize(new
            {
                channelId = state.State.ChannelId,
                kind = WireNames.Of(state.State.Kind),
                visibility = WireNames.Of(state.State.Visibility),
                customerId = state.State.CustomerId,
                externalThreadId = state.State.ExternalThreadId,
                controller = state.State.Controller,
            }, JsonSerializerOptions.Web), record.CreatedAtMs));
        }
        var type = record.EventType switch
        {
            null => EventTypes.MessageCreated,
            "control-changed" => EventTypes.ControlChanged,
            "status-changed" => EventTypes.StatusChanged,
            "assignee-changed" => EventTypes.AssigneeChanged,
            _ => null,
        };
        if (type is null) return events;
        // Personal data in a payload is tied to the customer it is about, so that erasure can find it.
        var about = record.AuthorType == WireNames.Of(AuthorType.Customer) ? record.AuthorId : privateCustomer ?? aboutCustomer;
        var data = record.EventType is null
            ? JsonSerializer.Serialize(new
            {
                messageId = record.Id,
                seq = record.Seq,
                authorType = record.AuthorType,
                authorId = record.AuthorId,
                text = record.Body,
                visibility = record.Visibility,
                purpose = record.Purpose,
                externalMessageId = record.ExternalMessageId,
                inReplyToExternalMessageId = record.InReplyTo,
                quotedMessageId = record.QuotedMessageId,
                createdAt = DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedAtMs),
                customerId = privateCustomer,
                controller = state.State.Controller,
            }, JsonSerializerOptions.Web)
            : record.EventData!;
        events.Add(new WebhookEvent(type, lane, record.Seq * 2, about, data, record.CreatedAtMs));
        return events;
    }

    /// <summary>In-cluster bots: the conversation's stream per event kind. Best effort: the durable path is the webhook outbox.</summary>
    private async Task PublishAsync(List<WebhookEvent> events)
    {
        if (events.Count == 0 || !_streamsEnabled) return;
        try
        {
            var provider = this.GetStreamProvider(ConversationStreams.Provider);
            foreach (var e in events)
            {
                await provider.GetStream<ConversationEvent>(StreamId.Create(e.Type, this.GetPrimaryKeyString()))
                    .OnNextAsync(new ConversationEvent(e.Type, _brandId, _conversationId, (e.LaneSeq + 1) / 2, DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs), e.Data));
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning("Publishing conversation {ConversationId} events on its stream failed: {Error}", _conversationId, ex.GetType().Name);
        }
    }

    private static AppendResult Duplicate(StoredMessageRef stored) =>
        new(stored.ConversationId, stored.MessageId, stored.Seq, stored.AuthorId, Duplicate: true);

    // The keys appended lately: a webhook retried within seconds is answered from the log at once.
    private void RememberDedupeKey(string key)
    {
        if (_recentDedupeKeys.Count >= RecentDedupeKeysCap) _recentDedupeKeys.Clear();
        _recentDedupeKeys.Add(key);
    }

    /// <summary>The log already holds this idempotency key: nothing was appended.</summary>
    private sealed class DuplicateAppendException(StoredMessageRef stored) : Exception("Duplicate append.")
    {
        public StoredMessageRef Stored { get; } = stored;
    }

    private ConversationRecord Projection(ConversationCounters counters)
    {
        var s = state.State;
        return new ConversationRecord(_brandId, _conversationId, s.ChannelId, WireNames.Of(s.Visibility), WireNames.Of(s.Kind),
            WireNames.Of(s.Status), s.Assignee, s.Controller, s.CustomerId, s.ExternalThreadId,
            s.CreatedAt.ToUnixTimeMilliseconds(), counters.LastActivityMs, counters.LastMessageAtMs,
            counters.LastCustomerMessageAtMs, counters.MessageCount, counters.LastSeq);
    }

    // Outbound: one dispatch loop per activation walks the outbox in order; a failed head waits for its retry timer.
    private void KickOutbound()
    {
        if (_dispatching || _outbox.Count == 0 || _retryTimer is not null) return;
        _dispatching = true;
        _ = DispatchAsync();
    }

    private async Task DispatchAsync()
    {
        // Timer turns start without a request context: the conversation acts for its own brand, and no other.
        BrandContext.Set(_brandId);
        try
        {
            var channel = GrainFactory.GetGrain<IChannelGrain>(Ids.Scoped(_brandId, state.State.ChannelId));
            var target = await channel.DeliveryTarget();
            if (AccessTokens.DueForRenewal(target, clock.GetUtcNow())) target = await channel.RenewAccessToken(target!.Secrets!.AccessToken);
            var privateCustomer = state.State.Visibility == Visibility.Private ? state.State.CustomerId : null;
            var recipient = target is not null && privateCustomer is not null && target.Platform != Platform.WebChat
                ? await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(_brandId, privateCustomer)).PlatformUserId(target.Platform)
                : null;
            while (_outbox.Count > 0)
            {
                var next = _outbox[0];
                var isPost = state.State.Kind == ConversationKind.Broadcast && next.Seq == 1;
                var message = target is null ? null : new OutboundMessage(_brandId, state.State.ChannelId, target.Platform, _conversationId,
                    next.MessageId, next.Seq, next.Body ?? "", state.State.Visibility, _platformPostId ?? state.State.ExternalThreadId,
                    privateCustomer)
                {
                    AccountId = target.ExternalAccountId,
                    RecipientUserId = recipient,
                    InReplyTo = next.InReplyTo,
                    IsPost = isPost,
                    AfterStandardWindow = MessagingWindow.ClosesAt(target.Platform, state.State.Visibility,
                        FromMs(_counters.LastCustomerMessageAtMs)) is { } closes && clock.GetUtcNow() > closes,
                    ByHumanAgent = next.AuthorType == WireNames.Of(AuthorType.Agent),
                };
                var result = message is null
                    ? DeliveryResult.Failed("The channel no longer exists.", permanent: true)
                    : await senders.SendAsync(message, target!.Secrets, CancellationToken.None);
                // A refused token: renewed once (or by another conversation meanwhile), and the message sent once more with the new one.
                if (result.TokenRejected && message is not null && target is not null)
                {
                    var renewed = await channel.RenewAccessToken(target.Secrets?.AccessToken);
                    if (renewed is not null && AccessTokens.Differ(renewed, target))
                    {
                        target = renewed;
                        result = await senders.SendAsync(message, target.Secrets, CancellationToken.None);
                    }
                }
                // An erasure may have cancelled this message while it was on its way.
                if (_outbox.Count == 0 || _outbox[0].Seq != next.Seq) continue;
                var attempts = next.Attempts + 1;
                if (result.Delivered)
                {
                    await log.UpdateDeliveryAsync(_brandId, _conversationId, next.Seq, DeliveryStates.Sent, attempts, null, result.ExternalId);
                    _outbox.RemoveAt(0);
                    if (target is not null) recipient = await LearnFromSentAsync(target.Platform, next, isPost, result) ?? recipient;
                    continue;
                }
                if (result.Permanent || attempts >= Outbound.MaxAttempts)
                {
                    logger.LogWarning("Outbound message {MessageId} failed after {Attempts} attempts: {Error}", next.MessageId, attempts, result.Error);
                    await log.UpdateDeliveryAsync(_brandId, _conversationId, next.Seq, DeliveryStates.Failed, attempts, result.Error);
                    _outbox.RemoveAt(0);
                    continue;
                }
                await log.UpdateDeliveryAsync(_brandId, _conversationId, next.Seq, DeliveryStates.Pending, attempts, result.Error);
                _outbox[0] = next with { Attempts = attempts };
                ScheduleRetry(Outbound.BackoffAfter(attempts));
                return;
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Outbound dispatch of conversation {ConversationId} stopped; it resumes on the next kick.", _conversationId);
            ScheduleRetry(Outbound.BackoffAfter(1));
        }
        finally
        {
            _dispatching = false;
        }
    }

    /// <summary>
    /// What the platform's answer to a sent message tells, kept at best (the message is sent whatever
    /// happens here). A post's id, and on X a public reply's id: what answers it arrives under that
    /// id and must find this conversation. After a private reply by comment, the customer's own id on
    /// the platform, which later replies go to; it is returned.
    /// </summary>
    private async Task<string?> LearnFromSentAsync(Platform platform, PendingDelivery sent, bool isPost, DeliveryResult result)
    {
        try
        {
            if (result.ExternalId is { } id && id != state.State.ExternalThreadId
                && (isPost || (platform == Platform.X && state.State.Visibility == Visibility.Public)))
            {
                if (isPost) _platformPostId = id;
                await GrainFactory.GetGrain<IConversationGrain>(
                    Ids.Scoped(_brandId, ConversationAddress.ForPublicThread(state.State.ChannelId, id))).PointTo(_conversationId);
            }
            if (state.State.Visibility == Visibility.Private && sent.InReplyTo is not null && result.RecipientId is { } recipient
                && state.State.CustomerId is { } customer)
            {
                await GrainFactory.GetGrain<IIdentityGrain>(IdentityAddress.Of(_brandId, platform, recipient)).Link(customer);
                return recipient;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("What the platform answered to message {MessageId} could not be kept: {Error}", sent.MessageId, ex.GetType().Name);
        }
        return null;
    }

    private void ScheduleRetry(TimeSpan after)
    {
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(_ =>
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            KickOutbound();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = after, Period = Timeout.InfiniteTimeSpan, KeepAlive = true, Interleave = true });
    }

    private static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private static MessageView ToView(MessageRecord r) => new(
        r.Seq, r.Id,
        WireNames.TryParse<AuthorType>(r.AuthorType, out var authorType) ? authorType : AuthorType.System,
        r.AuthorId, r.Redacted ? null : r.Body, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
        WireNames.TryParse<Visibility>(r.Visibility, out var visibility) ? visibility : Visibility.Private,
        Sentiment: null, r.DeliveryStatus, r.Redacted, r.ExternalMessageId, r.InReplyTo,
        WireNames.TryParse<Purpose>(r.Purpose, out var purpose) ? purpose : null,
        r.EventType, r.EventData, r.QuotedMessageId);
}

/// <summary>The delivery states of an outbound message.</summary>
public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
