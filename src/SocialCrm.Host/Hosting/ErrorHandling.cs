using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Security;
using SocialCrm.Host.Api;
using SocialCrm.Host.Auth;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Turns what escapes a handler into problem details: unreadable input is 400 <c>validation</c> naming
/// the field, a wrong content type 415, a body over the limit 413, a cross-brand grain call 404; a
/// database or cluster node out of reach is 503 with Retry-After, a database that refuses the work is a
/// 500 without (a retry would fail the same way); anything else is a 500 without a stack trace (the log
/// has it, never message text). A status no handler wrote a body for (no route, wrong method) gets its
/// problem too.
/// </summary>
public static partial class ErrorHandling
{
    public static void UseSocialCrmErrors(this WebApplication app)
    {
        // The middleware's own record is a stack trace per bad request; HandleAsync logs one line instead.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = HandleAsync, StatusCodeSelector = null, SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(new StatusCodePagesOptions { HandleAsync = WriteStatusProblemAsync });
        app.Use(LogRefusedKeys);
        app.Use(LimitBodySize);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        // A grain storage failure reaches here wrapped by Orleans (see Dialects.DatabaseErrorIn).
        if (error is not null && error is not DbException && Dialects.DatabaseErrorIn(error) is { } wrapped) error = wrapped;
        var log = context.RequestServices.GetRequiredService<RefusalLog>();
        IResult result;
        switch (error)
        {
            case BadHttpRequestException { StatusCode: 413 }:
                log.Write(RefusalLog.Unreadable, "413 body over the limit");
                result = PayloadTooLarge();
                break;
            case BadHttpRequestException { StatusCode: 415 }:
                log.Write(RefusalLog.Unreadable, "415 " + (context.Request.ContentType is { Length: > 0 } ? "unsupported content type" : "no content type"));
                result = UnsupportedMediaType();
                break;
            case BadHttpRequestException bad:
                var field = FieldOf(context, bad);
                log.Write(RefusalLog.Unreadable, $"{bad.StatusCode} {field}");
                result = Problems.Validation(new Dictionary<string, string[]> { [field] = [ReasonOf(bad)] });
                break;
            case BrandScopeViolationException:
                Logger(context).LogWarning("{Endpoint} refused: a grain call crossed brands", context.GetEndpoint()?.DisplayName);
                result = Problems.NotFound("The resource");
                break;
            case StorageUnavailableException:
                result = Unavailable(context, "The service could not reach its database; retry shortly.");
                break;
            case StorageFailedException:
                result = Internal();
                break;
            case DbException db:
                // The type and SQL state only: a driver's message and detail may quote the row's values.
                Logger(context).LogError("{Endpoint} failed in the database: {Error} (SQL state {State})",
                    context.GetEndpoint()?.DisplayName, db.GetType().Name, db.SqlState);
                result = Dialects.IsTransient(db) ? Unavailable(context, "The service could not reach its database; retry shortly.") : Internal();
                break;
            case TimeoutException:
                Logger(context).LogWarning("{Endpoint} timed out", context.GetEndpoint()?.DisplayName);
                result = Unavailable(context, "The service could not reach its database; retry shortly.");
                break;
            // A node of the cluster died and is not yet declared dead: its grains move within seconds.
            case SiloUnavailableException or OrleansMessageRejectionException:
                Logger(context).LogWarning("{Endpoint} could not reach a node: {Error}", context.GetEndpoint()?.DisplayName, error.GetType().Name);
                result = Unavailable(context, "A node of the cluster is unreachable; retry shortly.");
                break;
            default:
                Logger(context).LogError(error, "{Endpoint} failed", context.GetEndpoint()?.DisplayName);
                result = Internal();
                break;
        }
        await result.ExecuteAsync(context);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorHandling).FullName!);

    private static IResult Internal() => Problems.Of(500, "internal", "Internal error", "The service could not complete the request.");

    private static IResult Unavailable(HttpContext context, string detail)
    {
        // A retry after a second is what a platform's webhook or a bot should do; with the same id it dedupes.
        context.Response.Headers.RetryAfter = "1";
        return Problems.Of(503, "unavailable", "Service unavailable", detail);
    }

    private static string ReasonOf(BadHttpRequestException bad) => bad.InnerException switch
    {
        NulCharacterException => Abstractions.TextRules.NulRefusal,
        JsonException => "is not valid JSON for this field.",
        null when BindingFailure().IsMatch(bad.Message) => "is not a valid value for this parameter.",
        _ => "could not be read.",
    };

    /// <summary>The JSON path of the bad value, or the query or route parameter that would not bind, else <c>body</c>.</summary>
    private static string FieldOf(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException { Path: { Length: > 1 } path })
            return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        // The framework names the parameter in its message ("Failed to bind parameter \"int? limit\" from \"x\"");
        // the name is used only when the request really has such a query or route value.
        if (BindingFailure().Match(bad.Message) is { Success: true } match)
        {
            var name = match.Groups["name"].Value;
            if (context.Request.Query.ContainsKey(name) || context.Request.RouteValues.ContainsKey(name)) return name;
        }
        return "body";
    }

    [GeneratedRegex("""^(Failed to bind|Required) parameter "[^"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)" """)]
    private static partial Regex BindingFailure();

    private static IResult PayloadTooLarge() =>
        Problems.Of(413, "payload-too-large", "Payload too large", "The body is over this service's Limits:MaxBodyBytes.");

    private static IResult UnsupportedMediaType() =>
        Problems.Of(415, "unsupported-media-type", "Unsupported media type", "The body must be JSON (Content-Type: application/json).");

    /// <summary>An error status that left the pipeline without a body (no route, a wrong method): its problem details.</summary>
    private static async Task WriteStatusProblemAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        IResult problem = context.Response.StatusCode switch
        {
            400 => Problems.Of(400, "validation", "The request is not valid", "The request could not be read."),
            401 => Problems.Unauthenticated("A valid API key is required (Authorization: Bearer <key>)."),
            403 => Problems.Forbidden("This key may not do this."),
            404 => Problems.Of(404, "not-found", "Not found", "No resource at this path."),
            405 => Problems.Of(405, "method-not-allowed", "Method not allowed", $"This path does not take {context.Request.Method}."),
            413 => PayloadTooLarge(),
            415 => UnsupportedMediaType(),
            429 => Problems.RateLimited(),
            >= 500 => Problems.Of(context.Response.StatusCode, "internal", "Internal error", "The service could not complete the request."),
            var other => Problems.Of(other, "validation", "The request is not valid", "The request could not be served."),
        };
        await problem.ExecuteAsync(context);
    }

    /// <summary>One short line, at most each second, for requests refused because of a bad key (the handler's own records are filtered out).</summary>
    private static async Task LogRefusedKeys(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status401Unauthorized) return;
        // The scheme remembers its answer for the request: this reads it, it does not check the key again.
        var result = await context.AuthenticateAsync(ApiKeyClaims.Scheme);
        if (result.Failure is { } failure)
            context.RequestServices.GetRequiredService<RefusalLog>().Write(RefusalLog.BadKey, failure.Message);
    }

    // Refuse a declared oversized body before reading it; bodies without a length are capped by the server feature.
    private static async Task LimitBodySize(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Limits:MaxBodyBytes", 262_144L);
        if (context.Request.ContentLength > limit)
        {
            context.RequestServices.GetRequiredService<RefusalLog>().Write(RefusalLog.Unreadable, "413 body over the limit");
            await PayloadTooLarge().ExecuteAsync(context);
            return;
        }
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
