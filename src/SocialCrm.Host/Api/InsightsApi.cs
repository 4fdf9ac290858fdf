using SocialCrm.Abstractions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record MoodResponse(string Granularity, IReadOnlyList<MoodBucket> Buckets);

public sealed record AlertsResponse(IReadOnlyList<InsightAlert> Items, string? NextCursor);

public sealed record LexiconBody(Dictionary<string, double>? Terms);

public sealed record LexiconResponse(IReadOnlyDictionary<string, double> Terms);

/// <summary>The brand's mood, what customers say, spike alerts, and the settings behind them.</summary>
public static class InsightsApi
{
    /// <summary>At most this many buckets per request: a year of days, a month of hours, a week of minutes.</summary>
    public const int MaxBuckets = 10_080;

    private static readonly Dictionary<string, long> BucketMs = new(StringComparer.Ordinal)
    {
        ["minute"] = 60_000,
        ["hour"] = 3_600_000,
        ["day"] = 86_400_000,
    };

    public static void MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var readers = app.MapGroup("/v1/brands/{brandId}/insights").RequireAuthorization(Policies.For(RoleSets.Insights));
        readers.MapGet("/mood", Mood);
        readers.MapGet("/terms", Terms);
        readers.MapGet("/alerts", Alerts);
        readers.MapGet("/alert-settings", AlertSettings);
        readers.MapGet("/lexicon", Lexicon);

        var admins = app.MapGroup("/v1/brands/{brandId}/insights").RequireAuthorization(Policies.For(RoleSets.Administration));
        admins.MapPut("/lexicon", SetLexicon);
        admins.MapPut("/alert-settings", SetAlertSettings);

        // A person's mood is profiling: compliance may read it too, and the customer grain checks the basis.
        app.MapGet("/v1/brands/{brandId}/customers/{customerId}/mood", CustomerMood)
            .RequireAuthorization(Policies.For(RoleSets.CustomerProfiles));
    }

    private static async Task<Results<Ok<MoodResponse>, ValidationProblem>> Mood(string brandId, DateTimeOffset? from, DateTimeOffset? to,
        string? granularity, string? channelId, string? visibility, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new FieldErrors();
        var unit = granularity ?? "hour";
        if (!BucketMs.TryGetValue(unit, out var bucketMs)) errors.Add("granularity", "must be one of: minute, hour, day.");
        var (start, end) = Range(errors, from, to, clock, TimeSpan.FromDays(unit == "day" ? 30 : 1));
        if (bucketMs > 0 && (end - start).TotalMilliseconds / bucketMs > MaxBuckets)
            errors.Add("from", $"the range holds more than {MaxBuckets} {unit} buckets: choose a coarser granularity or a shorter range.");
        errors.IdFilter("channelId", channelId);
        Visibility? visibilityFilter = visibility is null ? null : errors.Enum<Visibility>("visibility", visibility);
        if (errors.Any) return errors.ToProblem();
        var buckets = await grains.GetGrain<IInsightReportGrain>(brandId).Mood(new MoodQuery(start, end, unit, channelId, visibilityFilter));
        return TypedResults.Ok(new MoodResponse(unit, buckets));
    }

    private static async Task<Results<Ok<TermsReport>, ValidationProblem>> Terms(string brandId, DateTimeOffset? from, DateTimeOffset? to,
        string? channelId, int? limit, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new FieldErrors();
        var (start, end) = Range(errors, from, to, clock, TimeSpan.FromDays(30));
        errors.IdFilter("channelId", channelId);
        var pageSize = limit ?? 20;
        if (pageSize is < 1 or > 100) errors.Add("limit", "must be between 1 and 100.");
        if (errors.Any) return errors.ToProblem();
        return TypedResults.Ok(await grains.GetGrain<IInsightReportGrain>(brandId).Terms(start, end, channelId, pageSize));
    }

    private static async Task<Results<Ok<AlertsResponse>, ValidationProblem>> Alerts(string brandId, DateTimeOffset? from, DateTimeOffset? to,
        string? status, int? limit, string? cursor, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (status is not null && status is not (AlertStatuses.Raised or AlertStatuses.Resolved))
            errors.Add("status", $"must be one of: {AlertStatuses.Raised}, {AlertStatuses.Resolved}.");
        if (from > to) errors.Add("to", "must not be before from.");
        var pageSize = limit ?? 50;
        if (pageSize is < 1 or > 200) errors.Add("limit", "must be between 1 and 200.");
        if (cursor is not null && !Ids.IsValid(cursor)) errors.Add("cursor", "is not a cursor this service gave.");
        if (errors.Any) return errors.ToProblem();
        var page = await grains.GetGrain<IInsightReportGrain>(brandId).Alerts(new AlertQuery(status, from, to, cursor, pageSize));
        return TypedResults.Ok(new AlertsResponse(page.Items, page.NextBeforeId));
    }

    private static async Task<Ok<AlertSettings>> AlertSettings(string brandId, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IBrandInsightsGrain>(brandId).Settings());

    private static async Task<Results<Ok<AlertSettings>, ProblemHttpResult, ValidationProblem>> SetAlertSettings(string brandId,
        AlertSettings? body, IGrainFactory grains)
    {
        if (body is null) return Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["is required."] });
        return ResultsOf.Map(await grains.GetGrain<IBrandInsightsGrain>(brandId).SetSettings(body), s => TypedResults.Ok(s));
    }

    private static async Task<Ok<LexiconResponse>> Lexicon(string brandId, IGrainFactory grains) =>
        TypedResults.Ok(new LexiconResponse(await grains.GetGrain<IBrandInsightsGrain>(brandId).Lexicon()));

    private static async Task<Results<Ok<LexiconResponse>, ProblemHttpResult, ValidationProblem>> SetLexicon(string brandId, LexiconBody? body,
        IGrainFactory grains)
    {
        if (body?.Terms is null) return Problems.Validation(new Dictionary<string, string[]> { ["terms"] = ["is required (an empty object clears the lexicon)."] });
        var outcome = await grains.GetGrain<IBrandInsightsGrain>(brandId).SetLexicon(body.Terms);
        return ResultsOf.Map(outcome, terms => TypedResults.Ok(new LexiconResponse(terms)));
    }

    private static async Task<Results<Ok<CustomerMood>, ProblemHttpResult, ValidationProblem>> CustomerMood(string brandId, string customerId,
        IGrainFactory grains)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        return ResultsOf.Map(await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Mood(), m => TypedResults.Ok(m));
    }

    /// <summary>The asked range, or the last <paramref name="span"/> up to now.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Range(FieldErrors errors, DateTimeOffset? from, DateTimeOffset? to, TimeProvider clock,
        TimeSpan span)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end - span;
        if (start >= end) errors.Add("to", "must be after from.");
        return (start, end);
    }
}
