using SocialCrm.Abstractions.Insights;

namespace SocialCrm.Grains.Insights;

/// <summary>A channel's usual level: its messages and negative ones over the baseline period.</summary>
public sealed record Baseline(long Messages, long Negative, long SpanMs)
{
    public static readonly Baseline None = new(0, 0, 1);

    /// <summary>Below this many messages there is no usual level to speak of: a prior share stands in.</summary>
    public const int MinMessages = 20;

    /// <summary>The share of negative messages assumed for a channel with too little history.</summary>
    public const double PriorShare = 0.15;

    public double Share => Messages >= MinMessages ? (double)Negative / Messages : PriorShare;
}

/// <summary>What the detector decided: raise an alert, or resolve an open one.</summary>
public abstract record SpikeDecision
{
    public sealed record Raise(string Kind, string ChannelId, long WindowStartMs, long Messages, double NegativeShare,
        double BaselineShare, double BaselineMessages, IReadOnlyList<string> SampleIds) : SpikeDecision;

    public sealed record Resolve(string AlertId, string Kind, string ChannelId) : SpikeDecision;
}

/// <summary>
/// The spike rule of one brand, pure so it is tested without a cluster. It keeps each channel's recent
/// tallies for the window and, at each evaluation, compares the window with the channel's baseline:
/// one alert per episode (open until the channel calms down, with hysteresis), and a cool-down after
/// each raise so a flapping channel does not storm.
/// </summary>
public sealed class SpikeDetector(AlertSettings settings)
{
    private const int MaxSamples = 5;

    private readonly Dictionary<string, Queue<ChannelTally>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Channel, string Kind), string> _open = [];
    private readonly Dictionary<(string Channel, string Kind), long> _lastRaisedAtMs = [];

    public AlertSettings Settings { get; private set; } = settings;

    private long WindowMs => Settings.WindowMinutes * 60_000L;

    /// <summary>True while anything is in a window or an episode is open: then the owner keeps evaluating.</summary>
    public bool Busy => _windows.Count > 0 || _open.Count > 0;

    public IEnumerable<string> Channels => _windows.Keys.Concat(_open.Keys.Select(k => k.Channel)).Distinct(StringComparer.Ordinal);

    public void Configure(AlertSettings settings) => Settings = settings;

    /// <summary>Takes back what was stored before a restart: open episodes, and raises still in their cool-down.</summary>
    public void Remember(string alertId, string kind, string channelId, bool open, long detectedAtMs)
    {
        if (open) _open[(channelId, kind)] = alertId;
        var key = (channelId, kind);
        if (!_lastRaisedAtMs.TryGetValue(key, out var last) || last < detectedAtMs) _lastRaisedAtMs[key] = detectedAtMs;
    }

    public void Add(ChannelTally tally)
    {
        if (!_windows.TryGetValue(tally.ChannelId, out var window)) _windows[tally.ChannelId] = window = new Queue<ChannelTally>();
        window.Enqueue(tally);
    }

    /// <summary>The episode's id, once the owner has stored the alert it raised.</summary>
    public void Raised(string alertId, string kind, string channelId, long nowMs)
    {
        _open[(channelId, kind)] = alertId;
        _lastRaisedAtMs[(channelId, kind)] = nowMs;
    }

    public void Resolved(string kind, string channelId) => _open.Remove((channelId, kind));

    /// <summary>What to raise and resolve now, given each channel's baseline.</summary>
    public List<SpikeDecision> Evaluate(long nowMs, Func<string, Baseline> baselineOf)
    {
        var decisions = new List<SpikeDecision>();
        if (!Settings.Enabled)
        {
            foreach (var ((channel, kind), id) in _open) decisions.Add(new SpikeDecision.Resolve(id, kind, channel));
            return decisions;
        }
        foreach (var channel in Channels.ToList())
        {
            var window = Window(channel, nowMs);
            var baseline = baselineOf(channel);
            EvaluateNegative(channel, window, baseline, nowMs, decisions);
            EvaluateVolume(channel, window, baseline, nowMs, decisions);
        }
        return decisions;
    }

    private void EvaluateNegative(string channel, WindowCount window, Baseline baseline, long nowMs, List<SpikeDecision> decisions)
    {
        var share = window.Messages == 0 ? 0 : (double)window.Negative / window.Messages;
        var threshold = Math.Max(Settings.MinNegativeShare, Math.Max(baseline.Share * Settings.ShareRatio, baseline.Share + 0.15));
        if (_open.TryGetValue((channel, AlertKinds.NegativeShare), out var openId))
        {
            // Hysteresis: it calms down well below the line it crossed, or when too few messages are left to judge.
            if (share < threshold * 0.75 || window.Messages < Settings.MinMessages / 2)
                decisions.Add(new SpikeDecision.Resolve(openId, AlertKinds.NegativeShare, channel));
            return;
        }
        if (window.Messages < Settings.MinMessages || share < threshold || CoolingDown(channel, AlertKinds.NegativeShare, nowMs)) return;
        decisions.Add(new SpikeDecision.Raise(AlertKinds.NegativeShare, channel, window.StartMs, window.Messages, Math.Round(share, 4),
            Math.Round(baseline.Share, 4), Math.Round(Expected(baseline), 2), window.NegativeSamples));
    }

    private void EvaluateVolume(string channel, WindowCount window, Baseline baseline, long nowMs, List<SpikeDecision> decisions)
    {
        // Without enough history, "usual" is unknown: a new channel's first busy hour is not a spike.
        if (baseline.Messages < 3 * Baseline.MinMessages && !_open.ContainsKey((channel, AlertKinds.Volume))) return;
        var expected = Expected(baseline);
        var line = Math.Max(2.0 * Settings.MinMessages, Settings.VolumeRatio * expected);
        if (_open.TryGetValue((channel, AlertKinds.Volume), out var openId))
        {
            if (window.Messages < line / 2) decisions.Add(new SpikeDecision.Resolve(openId, AlertKinds.Volume, channel));
            return;
        }
        // A burst of anger is a burst of volume too: its negative-share alert already tells it.
        if (window.Messages < line || CoolingDown(channel, AlertKinds.Volume, nowMs) || _open.ContainsKey((channel, AlertKinds.NegativeShare))) return;
        var share = (double)window.Negative / window.Messages;
        decisions.Add(new SpikeDecision.Raise(AlertKinds.Volume, channel, window.StartMs, window.Messages, Math.Round(share, 4),
            Math.Round(baseline.Share, 4), Math.Round(expected, 2), window.Samples));
    }

    /// <summary>The messages the baseline predicts for one window.</summary>
    private double Expected(Baseline baseline) => baseline.SpanMs <= 0 ? 0 : (double)baseline.Messages * WindowMs / baseline.SpanMs;

    private bool CoolingDown(string channel, string kind, long nowMs) =>
        _lastRaisedAtMs.TryGetValue((channel, kind), out var last) && nowMs - last < Settings.CooldownMinutes * 60_000L;

    private sealed record WindowCount(long StartMs, long Messages, long Negative, IReadOnlyList<string> NegativeSamples, IReadOnlyList<string> Samples);

    /// <summary>The channel's tallies inside the window, dropping older ones.</summary>
    private WindowCount Window(string channel, long nowMs)
    {
        var startMs = nowMs - WindowMs;
        if (!_windows.TryGetValue(channel, out var window)) return new WindowCount(startMs, 0, 0, [], []);
        while (window.Count > 0 && window.Peek().AtMs < startMs) window.Dequeue();
        if (window.Count == 0)
        {
            _windows.Remove(channel);
            return new WindowCount(startMs, 0, 0, [], []);
        }
        long messages = 0, negative = 0;
        var negativeSamples = new List<string>(MaxSamples);
        var samples = new List<string>(MaxSamples);
        foreach (var tally in window)
        {
            messages += tally.Messages;
            negative += tally.Negative;
            foreach (var id in tally.NegativeSamples) if (negativeSamples.Count < MaxSamples) negativeSamples.Add(id);
            foreach (var id in tally.Samples) if (samples.Count < MaxSamples) samples.Add(id);
        }
        return new WindowCount(startMs, messages, negative, negativeSamples, samples);
    }
}
