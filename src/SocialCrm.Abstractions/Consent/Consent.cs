namespace SocialCrm.Abstractions.Consent;

/// <summary>Where a purpose stands for a customer.</summary>
[GenerateSerializer]
public enum ConsentStatus { Unknown, Granted, Withdrawn }

/// <summary>A change of consent as recorded by an agent, a compliance officer, or the customer's own words.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsentChange(
    [property: Id(0)] Purpose Purpose,
    [property: Id(1)] ConsentStatus Status,
    [property: Id(2)] string LawfulBasis,
    [property: Id(3)] string Source,
    [property: Id(4)] string? Evidence,
    [property: Id(5)] string? PolicyVersion,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] string RecordedBy);

/// <summary>One entry of a customer's append-only consent history.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsentRecord(
    [property: Id(0)] Purpose Purpose,
    [property: Id(1)] ConsentStatus Status,
    [property: Id(2)] string LawfulBasis,
    [property: Id(3)] string Source,
    [property: Id(4)] string? Evidence,
    [property: Id(5)] string? PolicyVersion,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] string RecordedBy,
    [property: Id(8)] DateTimeOffset RecordedAt)
{
    /// <summary>Granted and not expired at <paramref name="now"/>: an expired grant counts as not granted.</summary>
    public bool Allows(DateTimeOffset now) => ConsentInEffect.At(Status, ExpiresAt, now);
}

[GenerateSerializer, Immutable]
public sealed record ConsentView(
    [property: Id(0)] IReadOnlyDictionary<Purpose, ConsentRecord> Current,
    [property: Id(1)] IReadOnlyList<ConsentRecord> History);
