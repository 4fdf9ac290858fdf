using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Insights;

/// <summary>A customer message's sentiment: a score in [-1, 1] and its label (positive, neutral, negative).</summary>
[GenerateSerializer, Immutable]
public sealed record SentimentView([property: Id(0)] double Score, [property: Id(1)] string Label);

/// <summary>
/// When a channel's mood counts as a spike (section <c>Insights:Alerts</c> gives the defaults; a brand
/// may change its own). A negative spike needs enough messages in the window and a negative share
/// well above both an absolute floor and the channel's usual level; a volume spike needs enough
/// history to know what usual is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlertSettings(
    [property: Id(0)] bool Enabled = true,
    [property: Id(1)] int WindowMinutes = 5,
    [property: Id(2)] int MinMessages = 20,
    [property: Id(3)] double MinNegativeShare = 0.4,
    [property: Id(4)] double ShareRatio = 2.0,
    [property: Id(5)] double VolumeRatio = 5.0,
    [property: Id(6)] int CooldownMinutes = 30,
    [property: Id(7)] int BaselineHours = 24)
{
    /// <summary>Why these settings cannot be used, or null when they can.</summary>
    public (string Field, string Reason)? Problem() => this switch
    {
        { WindowMinutes: < 1 or > 60 } => ("windowMinutes", "must be between 1 and 60."),
        { MinMessages: < 5 or > 100_000 } => ("minMessages", "must be between 5 and 100000."),
        { MinNegativeShare: < 0.05 or > 1 } => ("minNegativeShare", "must be between 0.05 and 1."),
        { ShareRatio: < 1 or > 20 } => ("shareRatio", "must be between 1 and 20."),
        { VolumeRatio: < 1.5 or > 100 } => ("volumeRatio", "must be between 1.5 and 100."),
        { CooldownMinutes: < 0 or > 1440 } => ("cooldownMinutes", "must be between 0 and 1440."),
        { BaselineHours: < 1 or > 168 } => ("baselineHours", "must be between 1 and 168."),
        _ => null,
    };
}

/// <summary>One person's mood: all their scored messages, and those of the last 30 days.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerMood(
    [property: Id(0)] long Messages,
    [property: Id(1)] long Positive,
    [property: Id(2)] long Neutral,
    [property: Id(3)] long Negative,
    [property: Id(4)] double? MeanScore,
    [property: Id(5)] long RecentMessages,
    [property: Id(6)] double? RecentMeanScore,
    [property: Id(7)] string Basis);

public static class AlertKinds
{
    /// <summary>The share of negative messages rose well above the channel's usual level.</summary>
    public const string NegativeShare = "negative-share";

    /// <summary>Far more messages than usual, whatever their mood.</summary>
    public const string Volume = "volume";
}

public static class AlertStatuses
{
    public const string Raised = "raised";
    public const string Resolved = "resolved";
}

[GenerateSerializer, Immutable]
public sealed record InsightAlert(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Status,
    [property: Id(3)] string ChannelId,
    [property: Id(4)] DateTimeOffset WindowStart,
    [property: Id(5)] DateTimeOffset DetectedAt,
    [property: Id(6)] DateTimeOffset? ResolvedAt,
    [property: Id(7)] double NegativeShare,
    [property: Id(8)] double BaselineShare,
    [property: Id(9)] long Messages,
    [property: Id(10)] double BaselineMessages,
    [property: Id(11)] IReadOnlyList<string> SampleMessageIds);

/// <summary>
/// One channel's customer messages that a node stored during the last second (those written within
/// the detection window by the platform's clock; late deliveries of old messages are no spike).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelTally(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] long AtMs,
    [property: Id(2)] int Messages,
    [property: Id(3)] int Negative,
    [property: Id(4)] IReadOnlyList<string> NegativeSamples,
    [property: Id(5)] IReadOnlyList<string> Samples);

/// <summary>
/// A brand's insight settings and its spike detector, keyed by the brand id. Fed once a second by each
/// node's tally (never per message), so one busy brand does not become a hot spot.
/// </summary>
public interface IBrandInsightsGrain : IBrandScopedGrain
{
    /// <summary>The brand's own additions to the sentiment lexicon (term → valence in [-4, 4]).</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, double>> Lexicon();

    Task<Outcome<IReadOnlyDictionary<string, double>>> SetLexicon(IReadOnlyDictionary<string, double> terms);

    [ReadOnly]
    Task<AlertSettings> Settings();

    Task<Outcome<AlertSettings>> SetSettings(AlertSettings settings);

    /// <summary>Messages a node saw during the last second, by channel: checked against the brand's usual level.</summary>
    [OneWay]
    Task Report(IReadOnlyList<ChannelTally> tallies);
}

[GenerateSerializer, Immutable]
public sealed record MoodQuery(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] string Granularity,
    [property: Id(3)] string? ChannelId,
    [property: Id(4)] Visibility? Visibility);

[GenerateSerializer, Immutable]
public sealed record MoodBucket(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] long Messages,
    [property: Id(2)] long Positive,
    [property: Id(3)] long Neutral,
    [property: Id(4)] long Negative,
    [property: Id(5)] double? MeanScore);

[GenerateSerializer, Immutable]
public sealed record TermCount(
    [property: Id(0)] string Term,
    [property: Id(1)] long Count,
    [property: Id(2)] IReadOnlyList<string> ExampleMessageIds);

[GenerateSerializer, Immutable]
public sealed record TermsReport(
    [property: Id(0)] IReadOnlyList<TermCount> Advantages,
    [property: Id(1)] IReadOnlyList<TermCount> Disadvantages,
    [property: Id(2)] IReadOnlyList<TermCount> UnusualUses);

[GenerateSerializer, Immutable]
public sealed record AlertQuery(
    [property: Id(0)] string? Status,
    [property: Id(1)] DateTimeOffset? From,
    [property: Id(2)] DateTimeOffset? To,
    [property: Id(3)] string? BeforeId,
    [property: Id(4)] int Limit);

/// <summary>
/// A message a report names by id (a term's example, an alert's sample), as a person reading the report
/// sees it: its conversation, and its text unless the message was redacted, erased or purged.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExampleMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string ConversationId,
    [property: Id(2)] string? Text,
    [property: Id(3)] Visibility Visibility,
    [property: Id(4)] DateTimeOffset SentAt);

[GenerateSerializer, Immutable]
public sealed record AlertPage([property: Id(0)] IReadOnlyList<InsightAlert> Items, [property: Id(1)] string? NextBeforeId);

/// <summary>Reads a brand's insight aggregates (never the message log); a stateless worker, keyed by the brand id.</summary>
public interface IInsightReportGrain : IBrandScopedGrain
{
    Task<IReadOnlyList<MoodBucket>> Mood(MoodQuery query);

    Task<TermsReport> Terms(DateTimeOffset from, DateTimeOffset to, string? channelId, int limit);

    Task<AlertPage> Alerts(AlertQuery query);

    /// <summary>The brand's messages of these ids (at most <see cref="MaxExamples"/>; unknown ids are left out), in the order asked.</summary>
    Task<IReadOnlyList<ExampleMessage>> Examples(IReadOnlyList<string> messageIds);

    public const int MaxExamples = 50;
}
