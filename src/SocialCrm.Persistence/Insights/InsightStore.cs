using SocialCrm.Persistence.Storage;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Persistence.Insights;

/// <summary>The granularity of a mood bucket, as stored.</summary>
public enum MoodGranularity
{
    Minute,
    Hour,
    Day,
}

/// <summary>What a node adds to one mood bucket of one channel and visibility.</summary>
public sealed record MoodIncrement(string BrandId, MoodGranularity Granularity, long BucketStartMs, string ChannelId, string Visibility,
    long Messages, long Positive, long Neutral, long Negative, double ScoreSum);

/// <summary>What a node adds to one term of one day and channel, with examples if the row has none yet.</summary>
public sealed record TermIncrement(string BrandId, long DayMs, string ChannelId, string Kind, string Term, long Mentions,
    IReadOnlyList<string> Examples);

public sealed record MoodBucketRow(long StartMs, long Messages, long Positive, long Neutral, long Negative, double ScoreSum);

public sealed record TermRow(string Term, long Mentions, IReadOnlyList<string> Examples);

public sealed record AlertRow(string Id, string Kind, string Status, string ChannelId, long WindowStartMs, long DetectedAtMs,
    long? ResolvedAtMs, double NegativeShare, double BaselineShare, long Messages, double BaselineMessages, IReadOnlyList<string> SampleIds);

/// <summary>One person's mood over their messages, and over the recent ones.</summary>
public sealed record CustomerMoodRow(long Messages, long Positive, long Negative, double ScoreSum, long RecentMessages, double RecentScoreSum);

/// <summary>
/// The insight aggregates: mood buckets and terms added to once a second by each node, alerts written
/// by the brand's spike detector. Reads come from the aggregates only, never from the message log.
/// </summary>
public sealed class InsightStore(Database database, GroupCommitWriter writer)
{
    public static string Code(MoodGranularity granularity) => granularity switch
    {
        MoodGranularity.Minute => "m",
        MoodGranularity.Hour => "h",
        _ => "d",
    };

    /// <summary>Adds a node's tally of the last second to the aggregates, in one transaction.</summary>
    public Task AddAsync(IReadOnlyList<MoodIncrement> mood, IReadOnlyList<TermIncrement> terms, CancellationToken cancellationToken = default)
    {
        var statements = new List<SqlStatement>(mood.Count + terms.Count);
        foreach (var m in mood)
        {
            statements.Add(new SqlStatement("AddMood",
            [
                SqlArg.Text("brand_id", m.BrandId), SqlArg.Text("granularity", Code(m.Granularity)), SqlArg.Int64("bucket_start_ms", m.BucketStartMs),
                SqlArg.Text("channel_id", m.ChannelId), SqlArg.Text("visibility", m.Visibility), SqlArg.Int64("messages", m.Messages),
                SqlArg.Int64("positive", m.Positive), SqlArg.Int64("neutral", m.Neutral), SqlArg.Int64("negative", m.Negative),
                SqlArg.Double("score_sum", m.ScoreSum),
            ]));
        }
        foreach (var t in terms)
        {
            statements.Add(new SqlStatement("AddTerm",
            [
                SqlArg.Text("brand_id", t.BrandId), SqlArg.Int64("day_ms", t.DayMs), SqlArg.Text("channel_id", t.ChannelId),
                SqlArg.Text("kind", t.Kind), SqlArg.Text("term", t.Term), SqlArg.Int64("mentions", t.Mentions),
                SqlArg.Text("example1", t.Examples.ElementAtOrDefault(0)), SqlArg.Text("example2", t.Examples.ElementAtOrDefault(1)),
                SqlArg.Text("example3", t.Examples.ElementAtOrDefault(2)),
            ]));
        }
        return statements.Count == 0 ? Task.CompletedTask : writer.WriteAsync(statements, cancellationToken);
    }

    public Task<List<MoodBucketRow>> MoodAsync(string brandId, MoodGranularity granularity, long fromMs, long toMs, string? channelId,
        string? visibility, CancellationToken cancellationToken = default) =>
        database.QueryAsync("MoodBuckets",
            [
                SqlArg.Text("brand_id", brandId), SqlArg.Text("granularity", Code(granularity)), SqlArg.Int64("from_ms", fromMs),
                SqlArg.Int64("to_ms", toMs), SqlArg.Text("channel_id", channelId), SqlArg.Text("visibility", visibility),
            ],
            r => new MoodBucketRow(r.Int64(0), r.Int64(1), r.Int64(2), r.Int64(3), r.Int64(4), r.Double(5)), cancellationToken);

    /// <summary>Messages and negative ones per channel between the two times (minute buckets).</summary>
    public Task<List<(string ChannelId, long Messages, long Negative)>> BaselineAsync(string brandId, long fromMs, long toMs,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("MoodBaseline",
            [SqlArg.Text("brand_id", brandId), SqlArg.Int64("from_ms", fromMs), SqlArg.Int64("to_ms", toMs)],
            r => (r.GetString(0), r.Int64(1), r.Int64(2)), cancellationToken);

    public Task<List<TermRow>> TopTermsAsync(string brandId, string kind, long fromMs, long toMs, string? channelId, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("TopTerms",
            [
                SqlArg.Text("brand_id", brandId), SqlArg.Text("kind", kind), SqlArg.Int64("from_ms", fromMs), SqlArg.Int64("to_ms", toMs),
                SqlArg.Text("channel_id", channelId), SqlArg.Int32("limit", limit),
            ],
            r => new TermRow(r.GetString(0), r.Int64(1), new[] { r.StringOrNull(2), r.StringOrNull(3), r.StringOrNull(4) }
                .OfType<string>().Distinct().ToList()),
            cancellationToken);

    /// <summary>Stores a raised alert with its webhook deliveries, in one transaction.</summary>
    public Task InsertAlertAsync(string brandId, AlertRow alert, WebhookDeliveries deliveries, CancellationToken cancellationToken = default)
    {
        var statements = new List<SqlStatement>(1 + deliveries.Statements.Count)
        {
            new("InsertAlert",
            [
                SqlArg.Text("brand_id", brandId), SqlArg.Text("id", alert.Id), SqlArg.Text("kind", alert.Kind), SqlArg.Text("status", alert.Status),
                SqlArg.Text("channel_id", alert.ChannelId), SqlArg.Int64("window_start_ms", alert.WindowStartMs),
                SqlArg.Int64("detected_at_ms", alert.DetectedAtMs), SqlArg.Double("negative_share", alert.NegativeShare),
                SqlArg.Double("baseline_share", alert.BaselineShare), SqlArg.Int64("messages", alert.Messages),
                SqlArg.Double("baseline_messages", alert.BaselineMessages), SqlArg.Text("sample_ids", string.Join(',', alert.SampleIds)),
            ]),
        };
        statements.AddRange(deliveries.Statements);
        return writer.WriteAsync(statements, cancellationToken);
    }

    /// <summary>Marks an alert resolved, with the deliveries of its "resolved" event, in one transaction.</summary>
    public Task ResolveAlertAsync(string brandId, string alertId, long resolvedAtMs, WebhookDeliveries deliveries,
        CancellationToken cancellationToken = default)
    {
        var statements = new List<SqlStatement>(1 + deliveries.Statements.Count)
        {
            new("ResolveAlert", [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", alertId), SqlArg.Int64("resolved_at_ms", resolvedAtMs)]),
        };
        statements.AddRange(deliveries.Statements);
        return writer.WriteAsync(statements, cancellationToken);
    }

    public Task<List<AlertRow>> AlertsAsync(string brandId, string? status, long? fromMs, long? toMs, string? beforeId, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ListAlerts",
            [
                SqlArg.Text("brand_id", brandId), SqlArg.Text("status", status), SqlArg.Int64("from_ms", fromMs), SqlArg.Int64("to_ms", toMs),
                SqlArg.Text("before_id", beforeId), SqlArg.Int32("limit", limit),
            ],
            ReadAlert, cancellationToken);

    /// <summary>Alerts still open, and those detected since <paramref name="sinceMs"/> (inside their cool-down).</summary>
    public Task<List<AlertRow>> RecentAlertsAsync(string brandId, long sinceMs, CancellationToken cancellationToken = default) =>
        database.QueryAsync("RecentAlerts", [SqlArg.Text("brand_id", brandId), SqlArg.Int64("since_ms", sinceMs)], ReadAlert, cancellationToken);

    public Task<CustomerMoodRow?> CustomerMoodAsync(string brandId, string customerId, long recentFromMs, CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("CustomerMood",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId), SqlArg.Int64("recent_from_ms", recentFromMs)],
            r => new CustomerMoodRow(r.Int64(0), r.Int64OrNull(1) ?? 0, r.Int64OrNull(2) ?? 0, r.DoubleOrNull(3) ?? 0,
                r.Int64OrNull(4) ?? 0, r.DoubleOrNull(5) ?? 0),
            cancellationToken);

    private static AlertRow ReadAlert(System.Data.Common.DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Int64(4), r.Int64(5), r.Int64OrNull(6), r.Double(7), r.Double(8),
        r.Int64(9), r.Double(10), r.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries));
}
