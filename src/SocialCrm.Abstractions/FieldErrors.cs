namespace SocialCrm.Abstractions;

/// <summary>
/// Collects field errors of one request, named by their JSON path: the API turns them into a validation
/// problem, the console shows them next to its form, and both check with the same rules.
/// </summary>
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

    /// <summary>The errors by field, as the API's validation problem lists them.</summary>
    public (string Field, string Message) First()
    {
        var (field, messages) = _errors.First();
        return (field, messages[0]);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The errors on one line each, "field: message", for a form that shows them.</summary>
    public IEnumerable<string> Lines() => _errors.SelectMany(e => e.Value.Select(m => $"{e.Key} {m}"));
}
