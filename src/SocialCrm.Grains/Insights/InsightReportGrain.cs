using SocialCrm.Abstractions.Insights;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Privacy;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Insights;

namespace SocialCrm.Grains.Insights;

/// <summary>Answers mood, terms and alerts from the aggregates; a stateless worker, so reads never queue on one activation.</summary>
[StatelessWorker, Reentrant]
public sealed class InsightReportGrain(InsightStore store, MessageLog log) : Grain, IInsightReportGrain
{
    private string BrandId => this.GetPrimaryKeyString();

    async Task<IReadOnlyList<MoodBucket>> IInsightReportGrain.Mood(MoodQuery query)
    {
        var granularity = query.Granularity switch
        {
            "minute" => MoodGranularity.Minute,
            "hour" => MoodGranularity.Hour,
            _ => MoodGranularity.Day,
        };
        // Buckets are whole: the one holding "from" is included.
        var bucketMs = granularity switch { MoodGranularity.Minute => 60_000L, MoodGranularity.Hour => 3_600_000L, _ => 86_400_000L };
        var fromMs = query.From.ToUnixTimeMilliseconds();
        fromMs -= ((fromMs % bucketMs) + bucketMs) % bucketMs;
        var rows = await store.MoodAsync(BrandId, granularity, fromMs, query.To.ToUnixTimeMilliseconds(),
            query.ChannelId, query.Visibility is { } visibility ? WireNames.Of(visibility) : null);
        return rows.Select(r => new MoodBucket(DateTimeOffset.FromUnixTimeMilliseconds(r.StartMs), r.Messages, r.Positive, r.Neutral, r.Negative,
            r.Messages == 0 ? null : Math.Round(r.ScoreSum / r.Messages, 4))).ToList();
    }

    async Task<TermsReport> IInsightReportGrain.Terms(DateTimeOffset from, DateTimeOffset to, string? channelId, int limit)
    {
        // Terms are counted per UTC day: the day holding "from" is included whole.
        var fromMs = from.ToUnixTimeMilliseconds();
        fromMs -= fromMs % 86_400_000;
        var toMs = to.ToUnixTimeMilliseconds();
        async Task<IReadOnlyList<TermCount>> Top(string kind) =>
            (await store.TopTermsAsync(BrandId, kind, fromMs, toMs, channelId, limit)).Select(t => new TermCount(t.Term, t.Mentions, t.Examples)).ToList();
        return new TermsReport(await Top(TermKinds.Advantage), await Top(TermKinds.Disadvantage), await Top(TermKinds.UnusualUse));
    }

    async Task<AlertPage> IInsightReportGrain.Alerts(AlertQuery query)
    {
        var rows = await store.AlertsAsync(BrandId, query.Status, query.From?.ToUnixTimeMilliseconds(), query.To?.ToUnixTimeMilliseconds(),
            query.BeforeId, query.Limit + 1);
        var items = rows.Take(query.Limit).Select(BrandInsightsGrain.View).ToList();
        return new AlertPage(items, rows.Count > query.Limit ? items[^1].Id : null);
    }

    async Task<IReadOnlyList<ExampleMessage>> IInsightReportGrain.Examples(IReadOnlyList<string> messageIds)
    {
        var ids = messageIds.Where(Ids.IsValid).Distinct(StringComparer.Ordinal).Take(IInsightReportGrain.MaxExamples).ToList();
        var found = await Task.WhenAll(ids.Select(id => log.FindByIdAsync(BrandId, id)));
        var examples = ids.Zip(found).Where(x => x.Second is not null)
            .Select(x => new ExampleMessage(x.First, x.Second!.ConversationId, x.Second.Redacted ? null : x.Second.Body, x.Second.Visibility,
                DateTimeOffset.FromUnixTimeMilliseconds(x.Second.SentAtMs)))
            .ToList();
        // Message text is personal data: a person reading it here is audited as reading the conversation would be.
        if (ActorContext.Current is not null)
            await Task.WhenAll(examples.Select(e => e.ConversationId).Distinct(StringComparer.Ordinal).Select(AuditReadAsync));
        return examples;
    }

    private async Task AuditReadAsync(string conversationId)
    {
        var conversation = await log.LoadConversationAsync(BrandId, conversationId);
        await Audit.RecordAsync(GrainFactory, BrandId, "messages.read", conversation?.CustomerId, "conversations/" + conversationId);
    }
}
