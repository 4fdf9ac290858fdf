namespace SocialCrm.Insights;

/// <summary>
/// Two kinds of question a brand receives: a request for information or a favour ("Which size
/// fits best?", "Can you help me?"), whose praise words name what is wanted rather than praise it,
/// and a question shouted in capitals ("WHERE IS MY REFUND?"), which is a complaint.
/// </summary>
internal static class Questions
{
    /// <summary>The valence of a shouted question with no sentiment word of its own.</summary>
    public const double ShoutedValence = -1.5;

    /// <summary>
    /// The sentence opens with a question word ("what", "can", "does", not "why") and ends with a question
    /// mark, or opens with "please"; and it shows no feeling: no exclamation mark in the message, no negation, no contrast,
    /// no "else" ("who else loves…?") and no word stressed in capitals.
    /// </summary>
    public static bool IsRequest(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int start, int end, bool exclaimed, bool shouting)
    {
        if (exclaimed || tokens[start].Kind != TokenKind.Word)
            return false;
        var first = tokens[start].In(text);
        // "Please send me the invoice": a polite imperative asks without a question mark.
        var asks = WordRoles.IsPlease(first) || (WordRoles.IsQuestionOpener(first) && EndsWithQuestionMark(text, tokens, end));
        if (!asks)
            return false;
        for (var i = start; i <= end; i++)
        {
            ref readonly var token = ref tokens[i];
            // "Who else loves this show?", "Anyone else excited?": asking for agreement shares a feeling.
            if (token.Role is TokenRole.Negator or TokenRole.Contrast or TokenRole.Concession || WordRoles.Is(token.In(text), "else"))
                return false;
            if (shouting && token.Valence != 0 && token.Has(TokenFlags.AllCaps))
                return false;
        }
        return true;
    }

    /// <summary>A question of two or more words, every one of them in capitals.</summary>
    public static bool IsShouted(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int start, int end)
    {
        var words = 0;
        for (var i = start; i <= end; i++)
        {
            if (tokens[i].Kind != TokenKind.Word)
                continue;
            if (!tokens[i].Has(TokenFlags.AllCaps))
                return false;
            words++;
        }
        return words >= 2 && EndsWithQuestionMark(text, tokens, end);
    }

    private static bool EndsWithQuestionMark(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int end)
    {
        var from = tokens[end].Start + tokens[end].Length;
        var to = end + 1 < tokens.Length ? tokens[end + 1].Start : text.Length;
        return from < to && text[from..to].Contains('?');
    }
}
