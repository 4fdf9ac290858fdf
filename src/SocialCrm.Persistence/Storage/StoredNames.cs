using SocialCrm.Abstractions;

namespace SocialCrm.Persistence.Storage;

/// <summary>Reads the wire names stored in a column back into enums, once, in the store that reads the row.</summary>
internal static class StoredNames
{
    /// <summary>The enum a stored name names, or the fallback for a name this version does not know.</summary>
    public static TEnum Parse<TEnum>(string? value, TEnum fallback) where TEnum : struct, Enum =>
        WireNames.TryParse<TEnum>(value, out var parsed) ? parsed : fallback;

    /// <summary>The enum a stored name names, or null for none (or one this version does not know).</summary>
    public static TEnum? ParseOrNull<TEnum>(string? value) where TEnum : struct, Enum =>
        WireNames.TryParse<TEnum>(value, out var parsed) ? parsed : null;
}
