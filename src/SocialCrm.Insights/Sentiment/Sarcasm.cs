namespace SocialCrm.Insights;

/// <summary>
/// Two signs of irony a lexicon can see: an eye-roll emoji (🙄 😒 🙃) beside praise, and a message that
/// ends on a lone word of praise after a complaint ("…doesn't support my phone anymore, great").
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
}
