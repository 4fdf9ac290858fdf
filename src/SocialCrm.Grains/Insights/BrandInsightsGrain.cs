using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Grains.Conversations;
using SocialCrm.Insights;
using SocialCrm.Persistence.Insights;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Insights;

[GenerateSerializer]
public sealed class BrandInsightsState
{
    [Id(0)] public Dictionary<string, double> Lexicon { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The brand's own spike settings; null follows the service's defaults.</summary>
    [Id(1)] public AlertSettings? Alerts { get; set; }
}

/// <summary>
/// A brand's lexicon additions, its spike settings and its spike detector. Reported to once a second
/// by each node that stored the brand's messages; alerts are stored with their webhook deliveries in
/// one transaction, then published on the brand's <c>insight.alert</c> stream.
/// </summary>
public sealed partial class BrandInsightsGrain(
    [PersistentState("insights", GrainStorage.Name)] IPersistentState<BrandInsightsState> state,
    InsightStore store,
    WebhookStore webhooks,
    MessageReader reader,
    TimeProvider clock,
    IOptions<InsightOptions> options,
    IOptions<ConversationStreamOptions> streamOptions,
    ILogger<BrandInsightsGrain> logger,
    Automation.AutomationBooks automationBooks,
    Persistence.Automation.AutomationStore automationStore) : Grain, IBrandInsightsGrain
{
    public const string AlertStream = EventTypes.InsightAlert;

    private static readonly TimeSpan EvaluateEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BaselineFreshFor = TimeSpan.FromSeconds(60);

    private SpikeDetector _detector = null!;
    private Dictionary<string, Baseline> _baselines = new(StringComparer.Ordinal);
    private long _baselineReadAtMs = long.MinValue;
    private IGrainTimer? _timer;

    private string BrandId => this.GetPrimaryKeyString();

    private AlertSettings CurrentSettings => state.State.Alerts ?? options.Value.Alerts;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _detector = new SpikeDetector(CurrentSettings);
        // After a restart, an open episode stays one episode and a fresh raise keeps its cool-down.
        var since = clock.GetUtcNow().ToUnixTimeMilliseconds() - CurrentSettings.CooldownMinutes * 60_000L;
        foreach (var alert in await store.RecentAlertsAsync(BrandId, since, cancellationToken))
            _detector.Remember(alert.Id, alert.Kind, alert.ChannelId, alert.Status == AlertStatuses.Raised, alert.DetectedAtMs);
        if (_detector.Busy) StartTimer();
    }

    Task<IReadOnlyDictionary<string, double>> IBrandInsightsGrain.Lexicon() =>
        Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>(state.State.Lexicon, StringComparer.Ordinal));

    async Task<Outcome<IReadOnlyDictionary<string, double>>> IBrandInsightsGrain.SetLexicon(IReadOnlyDictionary<string, double> terms)
    {
        BrandLexicon? lexicon = BrandLexicon.Empty;
        if (terms.Count > 0 && !BrandLexicon.TryCreate(terms, out lexicon, out var error))
            return Refusal.Invalid("terms", error ?? "The terms cannot be used.");
        state.State.Lexicon = new Dictionary<string, double>(lexicon!.Terms, StringComparer.Ordinal);
        await state.WriteStateAsync();
        reader.Forget(BrandId);
        return new Dictionary<string, double>(state.State.Lexicon, StringComparer.Ordinal);
    }

    Task<AlertSettings> IBrandInsightsGrain.Settings() => Task.FromResult(CurrentSettings);

    async Task<Outcome<AlertSettings>> IBrandInsightsGrain.SetSettings(AlertSettings settings)
    {
        if (settings.Problem() is { } problem) return Refusal.Invalid(problem.Field, problem.Field + " " + problem.Reason);
        state.State.Alerts = settings;
        await state.WriteStateAsync();
        _detector.Configure(settings);
        return settings;
    }

    async Task IBrandInsightsGrain.Report(IReadOnlyList<ChannelTally> tallies)
    {
        foreach (var tally in tallies) _detector.Add(tally);
        await EvaluateAsync();
        if (_detector.Busy) StartTimer();
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(async _ =>
        {
            await EvaluateAsync();
            if (_detector.Busy) return;
            _timer?.Dispose();
            _timer = null;
        }, new GrainTimerCreationOptions(EvaluateEvery, EvaluateEvery) { Interleave = false });

    private async Task EvaluateAsync()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await RefreshBaselinesAsync(now);
        var decisions = _detector.Evaluate(now, channel => _baselines.GetValueOrDefault(channel, Baseline.None));
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case SpikeDecision.Raise raise:
                    await RaiseAsync(raise, now);
                    break;
                case SpikeDecision.Resolve resolve:
                    await ResolveAsync(resolve, now);
                    break;
            }
        }
    }

    /// <summary>The channels' usual level: the baseline period up to the start of the window, from the minute buckets.</summary>
    private async Task RefreshBaselinesAsync(long nowMs)
    {
        if (nowMs - _baselineReadAtMs < BaselineFreshFor.TotalMilliseconds) return;
        var settings = _detector.Settings;
        var toMs = nowMs - settings.WindowMinutes * 60_000L;
        var fromMs = nowMs - settings.BaselineHours * 3_600_000L;
        var rows = await store.BaselineAsync(BrandId, fromMs, toMs);
        _baselines = rows.ToDictionary(r => r.ChannelId, r => new Baseline(r.Messages, r.Negative, toMs - fromMs), StringComparer.Ordinal);
        _baselineReadAtMs = nowMs;
    }

    private async Task RaiseAsync(SpikeDecision.Raise raise, long nowMs)
    {
        var alert = new AlertRow(Ids.NewTimeOrdered("alert", clock.GetUtcNow()), raise.Kind, AlertStatuses.Raised, raise.ChannelId,
            raise.WindowStartMs, nowMs, null, raise.NegativeShare, raise.BaselineShare, raise.Messages, raise.BaselineMessages, raise.SampleIds);
        var view = View(alert);
        var fired = await Automation.AlertRules.FireAsync(automationBooks, BrandId, view, clock.GetUtcNow());
        var (deliveries, evt) = await DeliveriesAsync(view, nowMs, fired.Events);
        await store.InsertAlertAsync(BrandId, alert, deliveries);
        await automationStore.RecordEndedAsync(fired.Runs, Abstractions.Automation.RunStatuses.Fired, nowMs);
        _detector.Raised(alert.Id, raise.Kind, raise.ChannelId, nowMs);
        LogRaised(logger, raise.Kind, raise.ChannelId, raise.Messages);
        await AnnounceAsync(deliveries, view);
    }

    private async Task ResolveAsync(SpikeDecision.Resolve resolve, long nowMs)
    {
        var stored = (await store.RecentAlertsAsync(BrandId, nowMs)).FirstOrDefault(a => a.Id == resolve.AlertId);
        var view = stored is null ? null : View(stored with { Status = AlertStatuses.Resolved, ResolvedAtMs = nowMs });
        var (deliveries, _) = view is null ? (WebhookDeliveries.None, null) : await DeliveriesAsync(view, nowMs);
        await store.ResolveAlertAsync(BrandId, resolve.AlertId, nowMs, deliveries);
        _detector.Resolved(resolve.Kind, resolve.ChannelId);
        if (view is not null) await AnnounceAsync(deliveries, view);
    }

    /// <param name="more">Events that commit with the alert's (the automation.fired of the brand's alert rules).</param>
    private async Task<(WebhookDeliveries Deliveries, WebhookEvent Event)> DeliveriesAsync(InsightAlert view, long nowMs,
        IReadOnlyList<WebhookEvent>? more = null)
    {
        // No conversation: alerts share the brand-wide lane (in order among themselves).
        var evt = new WebhookEvent(EventTypes.InsightAlert, "", 0, null, JsonSerializer.Serialize(view, JsonSerializerOptions.Web), nowMs);
        var subscriptions = await webhooks.SubscriptionsAsync(BrandId);
        return (subscriptions.Count == 0 ? WebhookDeliveries.None : WebhookStore.Enqueue(BrandId, subscriptions, [evt, .. more ?? []]), evt);
    }

    private async Task AnnounceAsync(WebhookDeliveries deliveries, InsightAlert view)
    {
        foreach (var webhookId in deliveries.WebhookIds)
            GrainFactory.GetGrain<IWebhookGrain>(Ids.Scoped(BrandId, webhookId)).Kick().Ignore();
        if (!streamOptions.Value.Enabled) return;
        try
        {
            await this.GetStreamProvider(ConversationStreams.Provider).GetStream<InsightAlert>(StreamId.Create(AlertStream, BrandId)).OnNextAsync(view);
        }
        catch (Exception ex)
        {
            // Best effort, as for conversations: the durable path is the webhook outbox.
            LogStreamFailed(logger, ex.GetType().Name);
        }
    }

    public static InsightAlert View(AlertRow a) => new(a.Id, a.Kind, a.Status, a.ChannelId,
        DateTimeOffset.FromUnixTimeMilliseconds(a.WindowStartMs), DateTimeOffset.FromUnixTimeMilliseconds(a.DetectedAtMs),
        a.ResolvedAtMs is { } resolved ? DateTimeOffset.FromUnixTimeMilliseconds(resolved) : null,
        a.NegativeShare, a.BaselineShare, a.Messages, a.BaselineMessages, a.SampleIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Insight alert raised: {Kind} on channel {ChannelId} ({Messages} messages in the window).")]
    private static partial void LogRaised(ILogger logger, string kind, string channelId, long messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an insight alert on the brand's stream failed: {Error}")]
    private static partial void LogStreamFailed(ILogger logger, string error);
}
