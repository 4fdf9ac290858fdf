using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Abstractions.Security;
using SocialCrm.Insights;
using SocialCrm.Persistence.Insights;

namespace SocialCrm.Grains.Insights;

/// <summary>
/// Each node's running tally of the customer messages it stored: mood per minute bucket, terms per
/// day, and what each brand's spike detector needs. Added to the aggregates once a second in one
/// transaction and reported to each busy brand's detector in one call, so the per-message cost is a
/// few dictionary updates and no brand becomes a hot spot. A failed flush keeps its tally for the
/// next one; a node that dies loses at most its last second (the log keeps each message's score).
/// </summary>
public sealed partial class InsightTally(InsightStore store, IGrainFactory grains, TimeProvider clock, IOptions<InsightOptions> options,
    ILogger<InsightTally> logger) : BackgroundService
{
    private const int MaxExamples = 3;
    private const int MaxSamples = 5;
    private const long MinuteMs = 60_000, HourMs = 3_600_000, DayMs = 86_400_000;

    private readonly Lock _lock = new();
    private Pending _pending = new();

    private sealed class Pending
    {
        public readonly Dictionary<(string Brand, string Channel, string Visibility, long MinuteMs), MoodCount> Mood = [];
        public readonly Dictionary<(string Brand, long DayMs, string Channel, string Kind, string Term), TermCount> Terms = [];
        public readonly Dictionary<(string Brand, string Channel), SpikeCount> Spikes = [];
    }

    private sealed class MoodCount
    {
        public long Messages, Positive, Neutral, Negative;
        public double ScoreSum;
    }

    private sealed class TermCount
    {
        public long Mentions;
        public readonly List<string> Examples = new(MaxExamples);
    }

    private sealed class SpikeCount
    {
        public int Messages, Negative;
        public readonly List<string> NegativeSamples = new(MaxSamples);
        public readonly List<string> Samples = new(MaxSamples);
    }

    /// <summary>Counts one stored customer message.</summary>
    public void Record(string brandId, string channelId, string visibility, long sentAtMs, string messageId, MessageReading reading)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var recent = sentAtMs >= nowMs - options.Value.Alerts.WindowMinutes * MinuteMs;
        lock (_lock)
        {
            var pending = _pending;
            var moodKey = (brandId, channelId, visibility, sentAtMs - sentAtMs % MinuteMs);
            if (!pending.Mood.TryGetValue(moodKey, out var mood)) pending.Mood[moodKey] = mood = new MoodCount();
            mood.Messages++;
            mood.ScoreSum += reading.Score;
            switch (reading.Label)
            {
                case SentimentLabel.Positive: mood.Positive++; break;
                case SentimentLabel.Negative: mood.Negative++; break;
                default: mood.Neutral++; break;
            }

            var day = sentAtMs - sentAtMs % DayMs;
            CountTerms(pending, brandId, day, channelId, TermKinds.Advantage, reading.Terms.Advantages, messageId);
            CountTerms(pending, brandId, day, channelId, TermKinds.Disadvantage, reading.Terms.Disadvantages, messageId);
            CountTerms(pending, brandId, day, channelId, TermKinds.UnusualUse, reading.Terms.UnusualUses, messageId);

            // Late deliveries of old messages are history, not a spike.
            if (!recent) return;
            if (!pending.Spikes.TryGetValue((brandId, channelId), out var spike)) pending.Spikes[(brandId, channelId)] = spike = new SpikeCount();
            spike.Messages++;
            if (spike.Samples.Count < MaxSamples) spike.Samples.Add(messageId);
            if (reading.Label != SentimentLabel.Negative) return;
            spike.Negative++;
            if (spike.NegativeSamples.Count < MaxSamples) spike.NegativeSamples.Add(messageId);
        }
    }

    private void CountTerms(Pending pending, string brandId, long day, string channelId, string kind, IReadOnlyList<string> terms, string messageId)
    {
        foreach (var term in terms)
        {
            var key = (brandId, day, channelId, kind, term);
            if (!pending.Terms.TryGetValue(key, out var count))
            {
                if (pending.Terms.Count >= options.Value.MaxPendingTerms) continue;
                pending.Terms[key] = count = new TermCount();
            }
            count.Mentions++;
            if (count.Examples.Count < MaxExamples) count.Examples.Add(messageId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.FlushMilliseconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // What the last second counted goes in before the node stops.
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Adds what was counted since the last flush to the aggregates, then tells the brands' spike detectors.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Pending taken;
        lock (_lock)
        {
            if (_pending.Mood.Count == 0 && _pending.Terms.Count == 0 && _pending.Spikes.Count == 0) return;
            taken = _pending;
            _pending = new Pending();
        }
        try
        {
            await store.AddAsync(MoodIncrements(taken), TermIncrements(taken), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex.GetType().Name);
            lock (_lock) MergeBack(taken);
            return;
        }
        foreach (var brand in taken.Spikes.GroupBy(s => s.Key.Brand))
        {
            var atMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var tallies = brand.Select(s => new ChannelTally(s.Key.Channel, atMs, s.Value.Messages, s.Value.Negative,
                s.Value.NegativeSamples.ToArray(), s.Value.Samples.ToArray())).ToList();
            try
            {
                BrandContext.Set(brand.Key);
                await grains.GetGrain<IBrandInsightsGrain>(brand.Key).Report(tallies);
            }
            catch (Exception ex)
            {
                // The aggregates are stored; only this second's spike check is lost.
                LogReportFailed(logger, ex.GetType().Name);
            }
        }
    }

    private static List<MoodIncrement> MoodIncrements(Pending pending)
    {
        var rows = new Dictionary<(string Brand, MoodGranularity Granularity, long Start, string Channel, string Visibility), MoodCount>();
        foreach (var ((brand, channel, visibility, minute), count) in pending.Mood)
        {
            Add(rows, (brand, MoodGranularity.Minute, minute, channel, visibility), count);
            Add(rows, (brand, MoodGranularity.Hour, minute - minute % HourMs, channel, visibility), count);
            Add(rows, (brand, MoodGranularity.Day, minute - minute % DayMs, channel, visibility), count);
        }
        return rows.Select(r => new MoodIncrement(r.Key.Brand, r.Key.Granularity, r.Key.Start, r.Key.Channel, r.Key.Visibility,
            r.Value.Messages, r.Value.Positive, r.Value.Neutral, r.Value.Negative, r.Value.ScoreSum)).ToList();

        static void Add<TKey>(Dictionary<TKey, MoodCount> rows, TKey key, MoodCount count) where TKey : notnull
        {
            if (!rows.TryGetValue(key, out var sum)) rows[key] = sum = new MoodCount();
            sum.Messages += count.Messages;
            sum.Positive += count.Positive;
            sum.Neutral += count.Neutral;
            sum.Negative += count.Negative;
            sum.ScoreSum += count.ScoreSum;
        }
    }

    private static List<TermIncrement> TermIncrements(Pending pending) =>
        pending.Terms.Select(t => new TermIncrement(t.Key.Brand, t.Key.DayMs, t.Key.Channel, t.Key.Kind, t.Key.Term, t.Value.Mentions,
            t.Value.Examples.ToArray())).ToList();

    /// <summary>A flush that failed puts its counts back, so the next one adds them.</summary>
    private void MergeBack(Pending taken)
    {
        foreach (var (key, count) in taken.Mood)
        {
            if (!_pending.Mood.TryGetValue(key, out var mood)) _pending.Mood[key] = mood = new MoodCount();
            mood.Messages += count.Messages;
            mood.Positive += count.Positive;
            mood.Neutral += count.Neutral;
            mood.Negative += count.Negative;
            mood.ScoreSum += count.ScoreSum;
        }
        foreach (var (key, count) in taken.Terms)
        {
            if (!_pending.Terms.TryGetValue(key, out var term)) _pending.Terms[key] = term = new TermCount();
            term.Mentions += count.Mentions;
            foreach (var example in count.Examples) if (term.Examples.Count < MaxExamples) term.Examples.Add(example);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adding the insight tally to the aggregates failed ({Error}); it is kept for the next flush.")]
    private static partial void LogFlushFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting a brand's tally to its spike detector failed ({Error}).")]
    private static partial void LogReportFailed(ILogger logger, string error);
}

/// <summary>The kinds of term the insights keep, as stored and as the API names them.</summary>
public static class TermKinds
{
    public const string Advantage = "advantage";
    public const string Disadvantage = "disadvantage";
    public const string UnusualUse = "unusual-use";
}
