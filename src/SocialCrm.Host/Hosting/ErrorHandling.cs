using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Security;
using SocialCrm.Host.Api;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Turns what escapes a handler into problem details: unreadable JSON is 400 <c>validation</c> naming
/// the field, a body over the limit is 413, a cross-brand grain call is 404; a database or cluster node out of reach is 503 with Retry-After; anything else is a 500
/// without a stack trace (the log has it, never message text).
/// </summary>
public static class ErrorHandling
{
    public static void UseSocialCrmErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleAsync, StatusCodeSelector = null });
        app.Use(LimitBodySize);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            BadHttpRequestException { StatusCode: 413 } => PayloadTooLarge(),
            BadHttpRequestException bad => Problems.Validation(new Dictionary<string, string[]>
            {
                [FieldOf(bad)] = [bad.InnerException is JsonException ? "is not valid JSON for this field." : "could not be read."],
            }),
            BrandScopeViolationException => Problems.NotFound("The resource"),
            StorageUnavailableException or System.Data.Common.DbException or TimeoutException =>
                Unavailable(context, "The service could not reach its database; retry shortly."),
            // A node of the cluster died and is not yet declared dead: its grains move within seconds.
            SiloUnavailableException or OrleansMessageRejectionException =>
                Unavailable(context, "A node of the cluster is unreachable; retry shortly."),
            _ => Problems.Of(500, "internal", "Internal error", "The service could not complete the request."),
        };
        await result.ExecuteAsync(context);
    }

    private static IResult Unavailable(HttpContext context, string detail)
    {
        // A retry after a second is what a platform's webhook or a bot should do; with the same id it dedupes.
        context.Response.Headers.RetryAfter = "1";
        return Problems.Of(503, "unavailable", "Service unavailable", detail);
    }

    private static string FieldOf(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException { Path: { Length: > 1 } path })
            return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        return "body";
    }

    private static IResult PayloadTooLarge() =>
        Problems.Of(413, "payload-too-large", "Payload too large", "The body is over this service's Limits:MaxBodyBytes.");

    // Refuse a declared oversized body before reading it; bodies without a length are capped by the server feature.
    private static async Task LimitBodySize(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Limits:MaxBodyBytes", 262_144L);
        if (context.Request.ContentLength > limit)
        {
            await PayloadTooLarge().ExecuteAsync(context);
            return;
        }
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
