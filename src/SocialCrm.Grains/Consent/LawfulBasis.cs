namespace SocialCrm.Grains.Consent;

/// <summary>The lawful bases of GDPR article 6, as recorded with each change of consent.</summary>
public static class LawfulBasis
{
    public static readonly IReadOnlyList<string> All =
        ["consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"];

    public static readonly string Refusal = "must be one of: " + string.Join(", ", All) + ".";

    public static bool IsKnown(string? basis) => basis is not null && All.Contains(basis, StringComparer.Ordinal);
}
