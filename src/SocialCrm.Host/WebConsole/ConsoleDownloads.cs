using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Consent;
using SocialCrm.Host.Api;
using SocialCrm.Web.Session;

namespace SocialCrm.Host.WebConsole;

/// <summary>
/// The console's file downloads: a plain GET the browser makes with its console cookie, since a file
/// cannot come over the circuit. The brand is the cookie's alone (never the address's), the role is
/// checked against the same set as the API's route, and the answer is the API's own code path, audited
/// the same way, with a file name.
/// </summary>
public static class ConsoleDownloads
{
    public static void MapConsoleDownloads(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/app/download").RequireAuthorization(ConsoleSignIn.Policy).ExcludeFromDescription();
        downloads.MapGet("/customers/{customerId}/export", ExportAsync);
        downloads.MapGet("/consents.csv", ConsentsAsync);
    }

    /// <summary>The customer's access export (as <c>GET /v1/brands/{brandId}/customers/{customerId}/export</c>).</summary>
    private static async Task<IResult> ExportAsync(string customerId, HttpContext http, IGrainFactory grains)
    {
        if (Signed(http, RoleSets.Compliance) is not { } user) return Refused();
        var result = await PrivacyApi.AccessExport(user.BrandId, customerId, grains);
        // Only an export names a file (and the id it names has passed the id check).
        if (result.Result is JsonHttpResult<CustomerExport>)
        {
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileName = $"customer-{customerId}-export.json",
            }.ToString();
        }
        return result;
    }

    /// <summary>The consent report as CSV (as <c>GET /v1/brands/{brandId}/consents</c> with <c>Accept: text/csv</c>).</summary>
    private static async Task<IResult> ConsentsAsync(string? purpose, string? status, HttpContext http, ConsentReport report)
    {
        if (Signed(http, RoleSets.Compliance) is not { } user) return Refused();
        if (PrivacyApi.ConsentReportErrors(purpose, status) is { } invalid) return invalid;
        var lines = await report.OpenAsync(user.BrandId, purpose!, status, http.RequestAborted);
        return PrivacyApi.ConsentReportCsv(lines, $"consents-{purpose}{(status is null ? "" : "-" + status)}.csv");
    }

    /// <summary>
    /// The signed-in console user if their role is in the set. The session was checked by the cookie check at
    /// this very request, and the authorization handler has named the brand and actor in the request context.
    /// </summary>
    private static ConsoleUser? Signed(HttpContext http, Role[] allowed) =>
        ConsoleUser.From(http.User) is { } user && user.May(allowed) ? user : null;

    private static ProblemHttpResult Refused() => Problems.Forbidden("This key's role may not download this.");
}
