namespace SocialCrm.Abstractions;

/// <summary>Why a grain declined a request; the host maps each kind to one problem-details slug.</summary>
[GenerateSerializer]
public enum RefusalKind
{
    NotFound,
    Conflict,
    Forbidden,
    Validation,
    NotInControl,
    ConsentRequired,
    MessagingWindowClosed,
    Visibility,
    Erased,
    /// <summary>The caller's proof (a platform's signature) does not hold.</summary>
    Unauthenticated,
}

/// <summary>A domain refusal travelling back from a grain as a value, not an exception.</summary>
[GenerateSerializer, Immutable]
public sealed record Refusal(
    [property: Id(0)] RefusalKind Kind,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Field = null)
{
    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, $"{what} was not found.");
    public static Refusal Conflict(string detail) => new(RefusalKind.Conflict, detail);
    public static Refusal Invalid(string field, string detail) => new(RefusalKind.Validation, detail, field);

    /// <summary>The first of the errors a grain found checking what it was given (the API checks first and names them all).</summary>
    public static Refusal Invalid(FieldErrors errors)
    {
        var (field, message) = errors.First();
        return new(RefusalKind.Validation, message, field);
    }
}

/// <summary>Either a value or a refusal: what every refusable grain method returns.</summary>
[GenerateSerializer, Immutable]
public sealed record Outcome<T>([property: Id(0)] T? Value, [property: Id(1)] Refusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}
