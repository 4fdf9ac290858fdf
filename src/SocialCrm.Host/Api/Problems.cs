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

/// <summary>Collects field errors of one request, named by their JSON path.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Checks a required caller-chosen id against the contract's pattern.</summary>
    public string? Id(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) Add(field, "is required.");
        else if (!Ids.IsValid(value)) Add(field, "must match [A-Za-z0-9_-]{1,64}.");
        return value;
    }

    /// <summary>Checks a caller-chosen id given as a filter: absent is fine, anything else must be an id.</summary>
    public string? IdFilter(string field, string? value)
    {
        if (value is not null && !Ids.IsValid(value)) Add(field, "must match [A-Za-z0-9_-]{1,64}.");
        return value;
    }

    /// <summary>Free text such as a message: any characters but NUL.</summary>
    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
        else Check(field, value, maxLength, singleLine: false);
        return value;
    }

    public string? Optional(string field, string? value, int maxLength)
    {
        if (value is not null) Check(field, value, maxLength, singleLine: false);
        return value;
    }

    /// <summary>
    /// A name or reference that becomes an actor, an audit entry, a log value or a header: one line,
    /// without control, format or direction characters (<see cref="TextRules.IsSingleLine"/>).
    /// </summary>
    public string? RequiredLine(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required.");
        else Check(field, value, maxLength, singleLine: true);
        return value;
    }

    public string? OptionalLine(string field, string? value, int maxLength)
    {
        if (value is not null) Check(field, value, maxLength, singleLine: true);
        return value;
    }

    private void Check(string field, string value, int maxLength, bool singleLine)
    {
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (TextRules.HasNul(value)) Add(field, TextRules.NulRefusal);
        else if (singleLine && !TextRules.IsSingleLine(value)) Add(field, TextRules.SingleLineRefusal);
    }

    public TEnum Enum<TEnum>(string field, string? value, bool required = true) where TEnum : struct, System.Enum
    {
        if (value is null)
        {
            if (required) Add(field, "is required.");
            return default;
        }
        if (WireNames.TryParse<TEnum>(value, out var parsed)) return parsed;
        Add(field, "must be one of: " + string.Join(", ", System.Enum.GetValues<TEnum>().Select(v => WireNames.Of(v))) + ".");
        return default;
    }

    public ValidationProblem ToProblem() => Problems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
