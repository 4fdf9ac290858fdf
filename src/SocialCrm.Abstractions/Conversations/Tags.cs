using System.Globalization;
using System.Text;

namespace SocialCrm.Abstractions.Conversations;

/// <summary>
/// What a conversation tag is, wherever one is written (an agent, a rule, the API): compared in its
/// normal form, 1 to 50 characters of letters, digits and marks of any script plus <c>- _ . :</c>.
/// </summary>
public static class Tags
{
    public const int MaxLength = 50;
    public const int MaxPerConversation = 20;

    public const string Refusal = "must be 1 to 50 letters, digits, '-', '_', '.' or ':' (spaces become '-').";

    /// <summary>
    /// The form tags are stored and compared in: trimmed, composed (NFC, so "é" typed two ways is one
    /// tag), lower-case, each run of inner white space one <c>-</c> ("VIP  Customer" is "vip-customer").
    /// </summary>
    public static string Normalize(string value)
    {
        var trimmed = value.Trim();
        // Normalize throws on an unpaired surrogate or U+FFFE; such a tag is left uncomposed (a lone
        // surrogate becomes U+FFFD below) and IsValid refuses it.
        var composed = HasLoneSurrogate(trimmed) || trimmed.Contains('\uFFFE') ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
        var result = new StringBuilder(composed.Length);
        var inSpace = false;
        foreach (var rune in composed.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                inSpace = true;
                continue;
            }
            if (inSpace) result.Append('-');
            inSpace = false;
            result.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return result.ToString();
    }

    /// <summary>The stored form of a tag as typed, or null when it cannot be one.</summary>
    public static string? TryNormalize(string? value) =>
        value is null ? null : Normalize(value) is var tag && IsValid(tag) ? tag : null;

    /// <summary>Checks and normalizes a list of tags, naming each bad one by its JSON path; duplicates collapse.</summary>
    public static IReadOnlyList<string> Validate(string field, IReadOnlyList<string?>? values, FieldErrors errors)
    {
        var tags = new List<string>();
        if (values is null)
        {
            errors.Add(field, "is required (an empty list removes every tag).");
            return tags;
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (TryNormalize(values[i]) is not { } tag) errors.Add($"{field}[{i}]", Refusal);
            else if (!tags.Contains(tag)) tags.Add(tag);
        }
        if (tags.Count > MaxPerConversation) errors.Add(field, $"must hold at most {MaxPerConversation} tags.");
        return tags;
    }

    /// <summary>The tags as one stored value (tags hold no spaces), or null for none.</summary>
    public static string? Join(IReadOnlyCollection<string> tags) => tags.Count == 0 ? null : string.Join(' ', tags);

    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether <paramref name="normalized"/>, already in <see cref="Normalize"/>'s form, is a tag.</summary>
    public static bool IsValid(string? normalized)
    {
        if (string.IsNullOrEmpty(normalized) || normalized.Length > MaxLength || HasLoneSurrogate(normalized)) return false;
        var first = true;
        foreach (var rune in normalized.EnumerateRunes())
        {
            var ok = rune.Value is '-' or '_' or '.' or ':'
                || Rune.IsLetterOrDigit(rune)
                // Marks complete the letter before them (Devanagari vowel signs, Arabic harakat), never start a tag.
                || (!first && Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark);
            if (!ok) return false;
            first = false;
        }
        return true;
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i])) continue;
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else return true;
        }
        return false;
    }
}
