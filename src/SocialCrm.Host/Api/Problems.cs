using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;

namespace SocialCrm.Host.Api;

/// <summary>The one place that turns refusals and bad input into RFC 9457 problem details with the contract's slugs.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:socialcrm:problem:";

    public static ProblemHttpResult Of(int status, string slug, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + slug);

    public static ProblemHttpResult NotFound(string what) => Of(404, "not-found", "Not found", $"{what} was not found in this brand.");

    public static ProblemHttpResult Conflict(string detail) => Of(409, "conflict", "Conflict", detail);

    public static ProblemHttpResult Unauthenticated(string detail) => Of(401, "unauthenticated", "Unauthenticated", detail);

    public static ProblemHttpResult Forbidden(string detail) => Of(403, "forbidden", "Forbidden", detail);

    public static ProblemHttpResult RateLimited(string detail = "This key or channel is over its rate limit; retry after the Retry-After seconds.") =>
        Of(429, "rate-limited", "Too many requests", detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid", type: TypePrefix + "validation");

    /// <summary>A request's field errors as a validation problem.</summary>
    public static ValidationProblem ToProblem(this FieldErrors errors) => Validation(errors.ToDictionary());

    /// <summary>A grain's refusal as its problem: a validation refusal names its field, any other kind gets its slug.</summary>
    public static Results<ProblemHttpResult, ValidationProblem> From(Refusal refusal) =>
        refusal.Kind == RefusalKind.Validation ? Invalid(refusal) : Refused(refusal);

    public static ValidationProblem Invalid(Refusal refusal) =>
        Validation(new Dictionary<string, string[]> { [refusal.Field ?? "body"] = [refusal.Detail] });

    /// <summary>Any refusal but a validation one (<see cref="Invalid"/>) as its problem.</summary>
    public static ProblemHttpResult Refused(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.NotFound => Of(404, "not-found", "Not found", refusal.Detail),
        RefusalKind.Conflict => Conflict(refusal.Detail),
        RefusalKind.Forbidden => Forbidden(refusal.Detail),
        RefusalKind.Unauthenticated => Unauthenticated(refusal.Detail),
        RefusalKind.NotInControl => Of(409, "not-in-control", "Not in control", refusal.Detail),
        RefusalKind.ConsentRequired => Of(403, "consent-required", "Consent required", refusal.Detail),
        RefusalKind.MessagingWindowClosed => Of(422, "messaging-window-closed", "Messaging window closed", refusal.Detail),
        RefusalKind.Visibility => Of(422, "visibility", "Visibility", refusal.Detail),
        RefusalKind.Erased => Of(410, "erased", "Erased", refusal.Detail),
        _ => Of(500, "internal", "Internal error"),
    };
}
