namespace SocialCrm.Insights;

/// <summary>
/// Signs of irony a lexicon can see: an eye-roll emoji (🙄 😒 🙃) beside praise, and a message that
/// ends on a lone word of praise after a complaint ("…doesn't support my phone anymore, great") or opens
/// with one before it ("Great, another delay").
/// </summary>
internal static class Sarcasm
{
    public static bool HasEyeRoll(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens)
    {
        foreach (ref readonly var token in tokens)
        {
            if (token.Kind != TokenKind.Symbol)
                continue;
            var symbol = token.In(text);
            if (symbol.SequenceEqual("\U0001F644") || symbol.SequenceEqual("\U0001F612") || symbol.SequenceEqual("\U0001F643"))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The index of the last word when it is a clause of its own, carries praise and only symbols follow it,
    /// as in "…, great" or "…. Brilliant 🙄"; -1 otherwise. Whether it is irony depends on what precedes it.
    /// </summary>
    public static int TrailingPraise(ReadOnlySpan<Token> tokens)
    {
        var last = tokens.Length - 1;
        while (last >= 0 && tokens[last].Kind == TokenKind.Symbol)
            last--;
        if (last < 1 || tokens[last].Valence <= 0 || tokens[last].Role != TokenRole.Plain
            || !tokens[last - 1].Has(TokenFlags.ClauseEnd) || tokens[last - 1].Kind != TokenKind.Word)
            return -1;
        return last;
    }

    /// <summary>
    /// The index of the first word when it is praise set off by a comma at the start of the message, after at most
    /// "oh", "just", "well" or "wow", in a message with no contrast word: "Great, another delay", "Oh perfect, it
    /// broke again". -1 otherwise. Whether it is irony depends on what follows it.
    /// </summary>
    public static int LeadingPraise(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens)
    {
        var first = 0;
        if (tokens.Length > 2 && tokens[0].Kind == TokenKind.Word && !tokens[0].Has(TokenFlags.ClauseEnd) && IsInterjection(tokens[0].In(text)))
            first = 1;
        if (tokens.Length < first + 3)
            return -1;
        ref readonly var praise = ref tokens[first];
        if (praise.Kind != TokenKind.Word || praise.Valence <= 0 || praise.Role != TokenRole.Plain
            || !praise.Has(TokenFlags.ClauseEnd) || praise.Has(TokenFlags.SentenceEnd) || tokens[first + 1].Kind != TokenKind.Word)
            return -1;
        foreach (ref readonly var token in tokens)
        {
            if (token.Role is TokenRole.Contrast or TokenRole.Concession)
                return -1;
        }
        return first;
    }

    private static bool IsInterjection(ReadOnlySpan<char> word) =>
        WordRoles.Is(word, "oh") || WordRoles.Is(word, "just") || WordRoles.Is(word, "well") || WordRoles.Is(word, "wow")
        || WordRoles.Is(word, "ah");
}
