using System.Globalization;
using System.Text;
using System.Text.Json;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Host.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Grains.Consent;

namespace SocialCrm.Host.Api;

public sealed record ErasureResponse(string CustomerId, DateTimeOffset ErasedAt);

public sealed record AuditEntryResponse(long Seq, DateTimeOffset At, string Actor, string Action, string? CustomerId, string? Resource, string Hash);

public sealed record AuditResponse(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);

public sealed record AuditVerificationResponse(bool Intact, long Entries, long? FirstBrokenSeq);

public sealed record SettingsBody(IReadOnlyList<string>? OptOutKeywords, int? RetentionDays, bool? ProfilingByLegitimateInterest);

public sealed record RetentionRunResponse(DateTimeOffset Cutoff, int PurgedMessages, DateTimeOffset RanAt);

/// <summary>What compliance officers use: consent report, access export, erasure, audit log, retention.</summary>
public static class PrivacyApi
{
    public static void MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var compliance = app.MapGroup("/v1/brands/{brandId}").RequireAuthorization(Policies.For(RoleSets.Compliance));
        compliance.MapGet("/consents", ConsentReport).Produces(200, contentType: "text/csv");
        compliance.MapGet("/customers/{customerId}/export", Export).Produces<CustomerExport>().ProducesProblem(404).ProducesProblem(410);
        compliance.MapDelete("/customers/{customerId}", Erase).ProducesProblem(404);
        compliance.MapGet("/audit", AuditLog);
        compliance.MapGet("/audit/verify", VerifyAudit);
        compliance.MapPost("/retention/run", RunRetention).ProducesProblem(400);

        var admin = app.MapGroup("/v1/brands/{brandId}/settings").RequireAuthorization(Policies.For(RoleSets.Administration));
        admin.MapGet("/", GetSettings);
        admin.MapPut("/", PutSettings);
    }

    /// <summary>Streams every customer's state for a purpose, as JSON or CSV, without holding the report in memory.</summary>
    private static async Task<Results<Ok<IAsyncEnumerable<ConsentReportLine>>, PushStreamHttpResult, ValidationProblem>> ConsentReport(
        string brandId, string? purpose, string? status, HttpContext http, ConsentReport report)
    {
        if (ConsentReportErrors(purpose, status) is { } invalid) return invalid;
        var lines = await report.OpenAsync(brandId, purpose!, status, http.RequestAborted);
        var wantsCsv = http.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
        if (wantsCsv) return ConsentReportCsv(lines);
        return TypedResults.Ok(lines);
    }

    /// <summary>The consent report's filter checked as the API checks it (the console's CSV download too): null when valid.</summary>
    internal static ValidationProblem? ConsentReportErrors(string? purpose, string? status)
    {
        var errors = new FieldErrors();
        errors.Enum<Purpose>("purpose", purpose);
        if (status is not null && status is not ("granted" or "withdrawn" or "unknown")) errors.Add("status", "must be granted, withdrawn or unknown.");
        return errors.Any ? errors.ToProblem() : null;
    }

    /// <summary>The consent report as CSV, written row by row as it streams (the API's text/csv answer and the console's download).</summary>
    internal static PushStreamHttpResult ConsentReportCsv(IAsyncEnumerable<ConsentReportLine> lines, string? fileDownloadName = null) =>
        TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
            await writer.WriteLineAsync("customerId,purpose,status,effective,lawfulBasis,source,policyVersion,recordedAt,expiresAt");
            await foreach (var line in lines)
            {
                await writer.WriteLineAsync(string.Join(',', Csv(line.CustomerId), line.Purpose, line.Status, line.Effective ? "true" : "false",
                    Csv(line.LawfulBasis), Csv(line.Source), Csv(line.PolicyVersion), Csv(line.RecordedAt?.ToString("O", CultureInfo.InvariantCulture)),
                    Csv(line.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture))));
            }
        }, "text/csv; charset=utf-8", fileDownloadName);

    /// <summary>
    /// One CSV cell. RFC 4180: a field that holds a comma, quote or line break is quoted. A field a spreadsheet
    /// would read as a formula (OWASP's leading characters: = + - @ tab carriage return) gets a leading quote.
    /// </summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static Task<Results<JsonHttpResult<CustomerExport>, ProblemHttpResult, ValidationProblem>> Export(string brandId, string customerId, IGrainFactory grains) =>
        AccessExport(brandId, customerId, grains);

    /// <summary>
    /// The access export as one JSON document: the API's answer and the console's download. The customer
    /// grain audits it (<c>customer.export</c>, by the actor in the request context).
    /// </summary>
    internal static async Task<Results<JsonHttpResult<CustomerExport>, ProblemHttpResult, ValidationProblem>> AccessExport(string brandId, string customerId,
        IGrainFactory grains)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Export();
        return ResultsOf.Map(outcome, export => TypedResults.Json(export, ExportJson));
    }

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult, ValidationProblem>> Erase(string brandId, string customerId, IGrainFactory grains)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Erase();
        return ResultsOf.Map(outcome, e => TypedResults.Ok(new ErasureResponse(e.CustomerId, e.ErasedAt)));
    }

    private static async Task<Results<Ok<AuditResponse>, ValidationProblem>> AuditLog(string brandId, string? customerId, string? actor, DateTimeOffset? from, DateTimeOffset? to,
        int? limit, string? cursor, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > 1000) errors.Add("limit", "must be between 1 and 1000.");
        long after = 0;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            errors.Add("cursor", "is not a cursor this service gave.");
        errors.IdFilter("customerId", customerId);
        errors.OptionalLine("actor", actor, 200);
        if (from > to) errors.Add("to", "must not be before from.");
        if (errors.Any) return errors.ToProblem();
        var page = await grains.GetGrain<IAuditGrain>(brandId).List(new AuditQuery(customerId, actor, from, to, after, pageSize));
        return TypedResults.Ok(new AuditResponse(
            page.Items.Select(e => new AuditEntryResponse(e.Seq, e.At, e.Actor, e.Action, e.CustomerId, e.Resource, e.Hash)).ToList(),
            page.NextAfterSeq?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<Ok<AuditVerificationResponse>> VerifyAudit(string brandId, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IAuditGrain>(brandId).Verify();
        return TypedResults.Ok(new AuditVerificationResponse(result.Intact, result.Entries, result.FirstBrokenSeq));
    }

    private static async Task<Results<Ok<RetentionRunResponse>, ProblemHttpResult, ValidationProblem>> RunRetention(string brandId, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IBrandGrain>(brandId).ApplyRetention();
        return ResultsOf.Map(outcome, r => TypedResults.Ok(new RetentionRunResponse(r.Cutoff, r.PurgedMessages, r.RanAt)));
    }

    private static async Task<Ok<BrandSettings>> GetSettings(string brandId, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IBrandGrain>(brandId).Settings());

    private static async Task<Results<Ok<BrandSettings>, ProblemHttpResult, ValidationProblem>> PutSettings(string brandId, SettingsBody? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var settings = AdminRules.Settings(errors, body?.OptOutKeywords, body?.RetentionDays, body?.ProfilingByLegitimateInterest);
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IBrandGrain>(brandId).UpdateSettings(settings);
        return ResultsOf.Map(outcome, s => TypedResults.Ok(s));
    }
}
