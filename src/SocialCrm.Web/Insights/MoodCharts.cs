using MudBlazor;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Web.Layout;

namespace SocialCrm.Web.Insights;

/// <summary>The period a mood screen shows: its buckets, from the first whole one to now (UTC).</summary>
public sealed record MoodPeriod(string Key, string Label, string Granularity, int Buckets)
{
    public static readonly MoodPeriod Day = new("24h", "Last 24 hours (by hour)", "hour", 24);
    public static readonly MoodPeriod Week = new("7d", "Last 7 days (by day)", "day", 7);
    public static readonly MoodPeriod Month = new("30d", "Last 30 days (by day)", "day", 30);
    public static readonly IReadOnlyList<MoodPeriod> All = [Day, Week, Month];

    public TimeSpan Step => Granularity == "hour" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    /// <summary>The start of the first bucket shown: the current bucket and the <see cref="Buckets"/> - 1 before it.</summary>
    public DateTimeOffset Start(DateTimeOffset now)
    {
        var stepMs = (long)Step.TotalMilliseconds;
        var ms = now.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - ms % stepMs) - Step * (Buckets - 1);
    }

    public string LabelOf(DateTimeOffset start) => Granularity == "hour" ? start.ToString("HH:00") : start.ToString("MM-dd");
}

/// <summary>A period's buckets laid out for charts: every bucket present, an empty one as zero messages and no mean.</summary>
public sealed class MoodSeries
{
    public MoodSeries(MoodPeriod period, DateTimeOffset start, IReadOnlyList<MoodBucket> buckets)
    {
        var byStart = buckets.ToDictionary(b => b.Start.ToUnixTimeMilliseconds());
        Buckets = Enumerable.Range(0, period.Buckets)
            .Select(i => start + period.Step * i)
            .Select(s => byStart.GetValueOrDefault(s.ToUnixTimeMilliseconds()) ?? new MoodBucket(s, 0, 0, 0, 0, null))
            .ToList();
        Labels = Buckets.Select(b => period.LabelOf(b.Start)).ToArray();
        // Buckets the service returned outside the laid-out ones (none expected) still count in the totals.
        Totals = buckets.Aggregate(new MoodBucket(start, 0, 0, 0, 0, null),
            (t, b) => t with { Messages = t.Messages + b.Messages, Positive = t.Positive + b.Positive, Neutral = t.Neutral + b.Neutral, Negative = t.Negative + b.Negative });
    }

    public IReadOnlyList<MoodBucket> Buckets { get; }

    public string[] Labels { get; }

    public MoodBucket Totals { get; }

    public List<ChartSeries<double>> Stacked() =>
    [
        new() { Name = "Positive", Data = new ChartData<double>(Buckets.Select(b => (double)b.Positive).ToList()) },
        new() { Name = "Neutral", Data = new ChartData<double>(Buckets.Select(b => (double)b.Neutral).ToList()) },
        new() { Name = "Negative", Data = new ChartData<double>(Buckets.Select(b => (double)b.Negative).ToList()) },
    ];

    public ChartSeries<double> Mean(string name) =>
        new() { Name = name, Data = new ChartData<double>(Buckets.Select(b => b.MeanScore).ToList()) };

    /// <summary>Every label when they fit, else about eight of them.</summary>
    public int LabelInterval => Math.Max(1, (int)Math.Ceiling(Buckets.Count / 8.0));

    public StackedBarChartOptions StackedOptions() => new()
    {
        ChartPalette = [ConsoleTheme.Positive, ConsoleTheme.Neutral, ConsoleTheme.Negative],
        YAxisTitle = "messages",
        YAxisTicks = 0,
        YAxisFormat = "0",
        ShowZeroValues = false,
        XAxisLabelInterval = LabelInterval,
    };

    public LineChartOptions LineOptions(params string[] palette) => new()
    {
        ChartPalette = palette,
        YAxisTitle = "mean score",
        YAxisTicks = 0,
        YAxisSuggestedMax = 1,
        YAxisFormat = "0.##",
        XAxisLabelInterval = LabelInterval,
        ConnectNullPoints = false,
        ShowDataMarkers = true,
    };
}
