using System.Globalization;

namespace SocialCrm.Abstractions.Conversations;

/// <summary>
/// What a conversation's tag may be, the same for agents, rules and the inbox filter: lower case,
/// 1–50 letters, digits or <c>- _ . :</c>, inner spaces written as <c>-</c>, at most 20 per conversation.
/// </summary>
public static class Tags
{
    public const int MaxPerConversation = 20;
    public const int MaxLength = 50;

    /// <summary>The stored form of a tag as typed ("Late Delivery " becomes "late-delivery"), or null when it cannot be one.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var words = value.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tag = string.Join('-', words);
        return tag.Length <= MaxLength && tag.All(Allowed) ? tag : null;
    }

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
            if (Normalize(values[i]) is not { } tag)
                errors.Add($"{field}[{i}]", $"must be 1–{MaxLength} letters, digits or - _ . : (spaces become -).");
            else if (!tags.Contains(tag)) tags.Add(tag);
        }
        if (tags.Count > MaxPerConversation) errors.Add(field, $"must hold at most {MaxPerConversation} tags.");
        return tags;
    }

    /// <summary>The tags as one stored value (tags hold no spaces), or null for none.</summary>
    public static string? Join(IReadOnlyCollection<string> tags) => tags.Count == 0 ? null : string.Join(' ', tags);

    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static bool Allowed(char c) => c is '-' or '_' or '.' or ':' || char.IsLetterOrDigit(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
