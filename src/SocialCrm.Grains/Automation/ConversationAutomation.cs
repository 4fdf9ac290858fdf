using System.Text.Json;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Conversations;
using SocialCrm.Persistence.Automation;

namespace SocialCrm.Grains.Automation;

/// <summary>
/// A conversation's automation: which of the brand's rules a trigger fires (decided when the message
/// is stored, and committed with it as pending runs), and carrying those runs out afterwards, once
/// each, through the conversation's own commands, so a rule meets every check a person meets.
/// </summary>
/// <remarks>
/// Runs are carried out in a grain timer's turn that does not interleave: the commands it calls are
/// the grain's, with its state to itself, exactly as when a request calls them. A run ends once: its
/// reply is keyed by the run (a second try finds the first copy), the history entry is keyed by the
/// run, and the setting actions (tags, status, priority) set what is already set.
/// </remarks>
internal sealed class ConversationAutomation(
    ConversationGrain grain,
    IGrainFactory grains,
    string brandId,
    string conversationId,
    IPersistentState<ConversationState> state,
    ConversationLog conversationLog,
    AutomationStore store,
    AutomationBooks books,
    ILogger logger,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private readonly List<AutomationRunRecord> _pending = [];
    private IConversationGrain Conversation => grain;
    private IGrainTimer? _timer;

    /// <summary>Runs decided before a crash or a move to another node, still owed.</summary>
    public void Restore(IEnumerable<AutomationRunRecord> runs) => _pending.AddRange(runs.Where(r => _pending.All(p => p.Id != r.Id)));

    /// <summary>The rules a customer message fires (and a new conversation's, on its first), as runs to commit with the message.</summary>
    /// <returns>The runs, and when a "no agent reply" rule would be due if this message starts a wait.</returns>
    public async Task<(IReadOnlyList<AutomationRunRecord> Runs, long? SlaDueAtMs)> DecideOnMessageAsync(string messageId, string? text,
        double? sentimentScore, DateTimeOffset at, DateTimeOffset sentAt, bool opensConversation)
    {
        var automation = await books.ForBrandAsync(brandId);
        // The customer has waited since they wrote (the platform's time), not since the webhook came.
        var slaDue = automation.SlaMinutes > 0 ? sentAt.AddMinutes(automation.SlaMinutes).ToUnixTimeMilliseconds() : (long?)null;
        var triggers = opensConversation ? new[] { RuleTriggers.ConversationOpened, RuleTriggers.MessageReceived } : [RuleTriggers.MessageReceived];
        // The common case, a brand without rules for this: nothing to decide, no call made.
        if (triggers.All(t => automation.For(t).Count == 0)) return ([], slaDue);
        var runs = new List<AutomationRunRecord>();
        var sentiment = Insights.Sentiments.View(sentimentScore);
        var evaluator = await EvaluatorAsync(automation, text, sentiment?.Score, sentiment?.Label, at, opensConversation);
        foreach (var trigger in triggers)
            foreach (var rule in automation.For(trigger))
                if (await evaluator.MatchesAsync(rule)) runs.Add(NewRun(rule.Rule, trigger, messageId, at));
        return (runs, slaDue);
    }

    /// <summary>The rules that fire when this private conversation is opened from a public comment; recorded at once.</summary>
    public async Task DecideOnTakenPrivateAsync(DateTimeOffset now)
    {
        var automation = await books.ForBrandAsync(brandId);
        if (automation.For(RuleTriggers.TakenPrivate).Count == 0) return;
        var evaluator = await EvaluatorAsync(automation, text: null, null, null, now, opensConversation: false);
        var runs = new List<AutomationRunRecord>();
        foreach (var rule in automation.For(RuleTriggers.TakenPrivate))
            if (await evaluator.MatchesAsync(rule)) runs.Add(NewRun(rule.Rule, RuleTriggers.TakenPrivate, messageId: null, now));
        await RecordAsync(runs);
    }

    /// <summary>
    /// The "no agent reply" timer: each such rule fires once per wait, when the oldest unanswered
    /// customer message has waited its minutes; then the next due time is set, or none.
    /// </summary>
    public async Task CheckSlaAsync()
    {
        var now = clock.GetUtcNow();
        var automation = await books.ForBrandAsync(brandId);
        var rules = automation.For(RuleTriggers.NoAgentReply);
        var waiting = rules.Count == 0 || !state.State.Exists ? null : await store.FirstUnansweredAsync(brandId, conversationId);
        if (waiting is null)
        {
            await conversationLog.SetSlaDueAsync(null);
            return;
        }
        var since = DateTimeOffset.FromUnixTimeMilliseconds(waiting.SentAtMs);
        var done = await store.RulesRunOnAsync(brandId, conversationId, waiting.Id, RuleTriggers.NoAgentReply);
        var due = rules.Where(r => !done.Contains(r.Rule.Id) && since.AddMinutes(r.Rule.Trigger.Minutes ?? 0) <= now).ToList();
        var (fire, notNow) = (new List<AutomationRunRecord>(), new List<AutomationRunRecord>());
        if (due.Count > 0)
        {
            var sentiment = Insights.Sentiments.View(waiting.SentimentScore);
            var evaluator = await EvaluatorAsync(automation, waiting.Body, sentiment?.Score, sentiment?.Label, now, opensConversation: false);
            // A rule whose conditions do not hold now is done with this wait too: it is recorded as skipped.
            foreach (var rule in due)
                (await evaluator.MatchesAsync(rule) ? fire : notNow).Add(NewRun(rule.Rule, RuleTriggers.NoAgentReply, waiting.Id, now));
        }
        var later = rules.Where(r => !done.Contains(r.Rule.Id) && due.All(d => d.Rule.Id != r.Rule.Id))
            .Select(r => since.AddMinutes(r.Rule.Trigger.Minutes ?? 0).ToUnixTimeMilliseconds()).DefaultIfEmpty(0).Min();
        await store.RecordAsync(fire, notNow, now.ToUnixTimeMilliseconds());
        await conversationLog.SetSlaDueAsync(later == 0 ? null : later);
        Accept(fire);
    }

    /// <summary>Runs committed with a message: carried out in a turn of their own, right after this one.</summary>
    public void Accept(IReadOnlyList<AutomationRunRecord> runs)
    {
        _pending.AddRange(runs);
        Schedule();
    }

    /// <summary>Starts carrying out what is pending, unless already scheduled.</summary>
    public void Schedule(TimeSpan? after = null)
    {
        if (_pending.Count == 0 || _timer is not null) return;
        _timer = grain.RegisterGrainTimer(async _ =>
        {
            _timer?.Dispose();
            _timer = null;
            await RunPendingAsync();
        }, new GrainTimerCreationOptions { DueTime = after ?? books.RunDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true, Interleave = false });
    }

    private async Task RecordAsync(List<AutomationRunRecord> runs)
    {
        if (runs.Count == 0) return;
        await store.RecordAsync(runs, [], clock.GetUtcNow().ToUnixTimeMilliseconds());
        Accept(runs);
    }

    private AutomationRunRecord NewRun(AutomationRule rule, string trigger, string? messageId, DateTimeOffset at) =>
        new(brandId, Ids.NewTimeOrdered("ar", clock.GetUtcNow()), conversationId, rule.Id, trigger, messageId,
            JsonSerializer.Serialize(rule, JsonSerializerOptions.Web), at.ToUnixTimeMilliseconds());

    private async Task<RuleEvaluator> EvaluatorAsync(BrandAutomation automation, string? text, double? score, string? label, DateTimeOffset at,
        bool opensConversation)
    {
        var s = state.State;
        // "New" is the customer's first conversation with the brand: only a first message can be one, and it is
        // only looked up when a rule asks.
        bool? isNew = !opensConversation ? false
            : s.CustomerId is null || !automation.AsksNewCustomer ? null
            : !await store.CustomerHasOtherConversationsAsync(brandId, s.CustomerId, conversationId);
        var facts = new RuleFacts(text, s.ChannelId, WireNames.Of(s.Platform), WireNames.Of(s.Visibility), score, label, isNew,
            WireNames.Of(s.Status), s.Tags, s.Assignee, WireNames.Of(s.Priority), at);
        return new RuleEvaluator(facts, new CustomerFacts(grains, brandId, s.CustomerId), automation.Settings);
    }

    private async Task RunPendingAsync()
    {
        // Timer turns start without a request context: the conversation acts for its own brand, and no other.
        BrandContext.Set(brandId);
        while (_pending.Count > 0)
        {
            var run = _pending[0];
            try
            {
                await RunAsync(run);
                _pending.RemoveAt(0);
            }
            catch (Exception ex)
            {
                var attempts = run.Attempts + 1;
                logger.LogWarning(ex, "Automation run {RunId} of rule {RuleId} failed (attempt {Attempt}).", run.Id, run.RuleId, attempts);
                _pending.RemoveAt(0);
                if (attempts >= MaxAttempts)
                {
                    await store.CompleteAsync(brandId, run.Id, RunStatuses.Failed, RunReasons.Error, attempts, clock.GetUtcNow().ToUnixTimeMilliseconds());
                    continue;
                }
                await store.CountAttemptAsync(brandId, run.Id, attempts);
                _pending.Add(run with { Attempts = attempts });
                Schedule(RetryAfter);
                return;
            }
        }
    }

    private async Task RunAsync(AutomationRunRecord run)
    {
        var rule = JsonSerializer.Deserialize<AutomationRule>(run.RuleJson, JsonSerializerOptions.Web)!;
        var now = clock.GetUtcNow();
        if (!state.State.Exists)
        {
            await store.CompleteAsync(brandId, run.Id, RunStatuses.Skipped, RunReasons.ConversationGone, run.Attempts + 1, now.ToUnixTimeMilliseconds());
            return;
        }
        var actor = new Actor(AuthorType.Automation, "rule:" + rule.Id);
        var automation = await books.ForBrandAsync(brandId);
        var did = new List<string>();
        var refused = new List<string>();
        string? reason = null;
        foreach (var action in rule.Actions)
        {
            var (done, refusal) = await ApplyAsync(action, run, actor, automation.Settings, now);
            if (done is not null) did.Add(done);
            if (refusal is not null)
            {
                refused.Add($"{action.Type}: {refusal}");
                reason ??= refusal;
            }
        }
        var status = refused.Count == 0 ? RunStatuses.Fired : did.Count == 0 ? RunStatuses.Skipped : RunStatuses.Failed;
        // The history says what the rule did and what it was refused; a webhook action makes the entry an automation.fired event.
        var kind = rule.Actions.Any(a => a.Type == RuleActions.Webhook) ? ConversationEvents.AutomationFired : ConversationEvents.AutomationRan;
        await conversationLog.AppendEventAsync(kind, new
        {
            ruleId = rule.Id, ruleName = rule.Name, trigger = run.Trigger, messageId = run.MessageId, runId = run.Id, status, did, refused,
        }, actor.Id, now, dedupeKey: "auto:" + run.Id,
            // The run ends in the entry's own transaction: one commit per run, and never an entry without its ending.
            alsoCommit: AutomationStore.Complete(brandId, run.Id, status, reason, run.Attempts + 1, now.ToUnixTimeMilliseconds()));
    }

    /// <summary>One action, through the conversation's own command: what it did in words, or why it was refused (a problem slug).</summary>
    private async Task<(string? Done, string? Refusal)> ApplyAsync(RuleAction action, AutomationRunRecord run, Actor actor,
        AutomationSettings settings, DateTimeOffset now)
    {
        switch (action.Type)
        {
            case RuleActions.Reply:
                if (state.State.LastAutomaticReplyAt is { } last && now - last < TimeSpan.FromMinutes(settings.AutoReplyCooldownMinutes))
                    return (null, RunReasons.Cooldown);
                var text = await RenderAsync(action.Template!);
                if (text.Length == 0) return (null, "empty-reply");
                var replied = await Conversation.Reply(new ReplyRequest(AuthorType.Automation, actor.Id, text,
                    action.Purpose == "marketing" ? Purpose.Marketing : Purpose.Service, HumanAgentTag: false, ClientMessageId: "auto-" + run.Id));
                if (replied.Refusal is { } notSent) return (null, Slug(notSent));
                await NoteAutomaticReplyAsync(now);
                return ("replied", null);
            case RuleActions.TakePrivate:
                var publicText = action.PublicTemplate is null ? null : await RenderAsync(action.PublicTemplate);
                var taken = await Conversation.TakePrivate(new TakePrivateRequest(run.MessageId, publicText, actor));
                if (taken.Refusal is { } notTaken) return (null, Slug(notTaken));
                if (action.Template is not null)
                {
                    var privateText = await RenderAsync(action.Template);
                    var sent = await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, taken.Value!)).Reply(new ReplyRequest(
                        AuthorType.Automation, actor.Id, privateText, Purpose.Service, HumanAgentTag: false, ClientMessageId: "auto-" + run.Id));
                    if (sent.Refusal is { } notSent2) return ("took it private", Slug(notSent2));
                }
                return ("took it private", null);
            case RuleActions.Assign:
                var notAssigned = action.TeamId is { } team
                    ? await grain.Triage.AssignTeamAsync(team, action.AgentId, actor)
                    : await grain.Triage.AssignAsync(action.AgentId, actor);
                return Done(notAssigned, $"assigned to {(action.TeamId is null ? action.AgentId : "team " + action.TeamId)}");
            case RuleActions.SetStatus:
                WireNames.TryParse<ConversationStatus>(action.Status, out var status);
                return Done(await grain.Triage.SetStatusAsync(status, actor), $"set status {action.Status}");
            case RuleActions.AddTags or RuleActions.RemoveTags:
                var named = (action.Tags ?? []).Select(Tags.TryNormalize).OfType<string>().ToList();
                var tags = action.Type == RuleActions.AddTags ? state.State.Tags.Union(named).ToList() : state.State.Tags.Except(named).ToList();
                return Done(await grain.Triage.SetTagsAsync(tags, actor), (action.Type == RuleActions.AddTags ? "tagged " : "untagged ") + string.Join(", ", named));
            case RuleActions.SetPriority:
                WireNames.TryParse<ConversationPriority>(action.Priority, out var priority);
                return Done(await grain.Triage.SetPriorityAsync(priority, actor), $"set priority {action.Priority}");
            case RuleActions.PassToBot:
                return Done((await Conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, action.BotId, actor))).Refusal, $"passed to bot {action.BotId}");
            case RuleActions.PassToHuman:
                return Done((await Conversation.ChangeControl(new ControlChange(ControlAction.PassToHuman, null, actor))).Refusal, "passed to humans");
            case RuleActions.Webhook:
                return ("notified webhooks", null);
            default:
                // Refused on save (award-points before the loyalty programme exists); a rule stored by a newer version.
                return (null, "unsupported-action");
        }
    }

    private static (string?, string?) Done(Refusal? refusal, string done) => refusal is not null ? (null, Slug(refusal)) : (done, null);

    private static string Slug(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.MessagingWindowClosed => "messaging-window-closed",
        RefusalKind.ConsentRequired => "consent-required",
        RefusalKind.NotInControl => "not-in-control",
        RefusalKind.NotFound => "not-found",
        RefusalKind.Validation => "validation",
        _ => WireNames.Of(refusal.Kind),
    };

    private async Task NoteAutomaticReplyAsync(DateTimeOffset now)
    {
        state.State.LastAutomaticReplyAt = now;
        await state.WriteStateAsync();
    }

    private async Task<string> RenderAsync(string template)
    {
        var s = state.State;
        var customerName = s.CustomerId is null ? null : await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, s.CustomerId)).DisplayName();
        var brand = await grains.GetGrain<IBrandGrain>(brandId).Get();
        var channel = await grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, s.ChannelId)).Get();
        return RuleTemplates.Render(template, new TemplateValues(customerName, brand?.Name, channel?.DisplayName, s.Assignee, conversationId));
    }
}
