namespace SocialCrm.Abstractions.Conversations;

/// <summary>What a message's text may be, wherever it is written: the API and the console check the same rule.</summary>
public static class MessageText
{
    public const int MaxLength = 64 * 1024;

    /// <summary>What is wrong with a text (to follow its field's name), or null when it may be sent.</summary>
    public static string? Problem(string? text, bool required)
    {
        if (string.IsNullOrWhiteSpace(text)) return required ? "is required." : null;
        if (text.Length > MaxLength) return $"must be at most {MaxLength} characters.";
        return TextRules.HasNul(text) ? TextRules.NulRefusal : null;
    }
}
