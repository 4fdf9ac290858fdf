namespace SocialCrm.Insights;

/// <summary>
/// Gives each token its valence and role: the brand's terms first, then idioms, then the lexicons.
/// A modifier or negator that is also a sentiment word ("super", "pretty", "no") counts as a word
/// only when nothing it could modify follows it.
/// </summary>
internal static class TokenReading
{
    public static void Assign(ReadOnlySpan<char> text, Span<Token> tokens, ValenceLexicon lexicon, BrandLexicon brand)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            var word = token.In(text);
            if (token.Kind == TokenKind.Symbol)
            {
                lexicon.TryGetExact(word, out token.Valence);
                continue;
            }
            var phrase = brand.Phrases.IsEmpty ? null : brand.Phrases.Match(text, tokens, i);
            if (phrase is null && brand.TryGetWord(word, out var brandValence))
            {
                token.Valence = brandValence;
                continue;
            }
            var entry = lexicon.Find(word);
            if (phrase is null && entry.StartsPhrase)
                phrase = lexicon.Phrases.Match(text, tokens, i);
            if (phrase is not null)
            {
                Apply(phrase, tokens, i);
                i += phrase.Words.Length - 1;
                continue;
            }
            token.Role = entry.Role;
            token.Scalar = entry.Scalar;
            token.Valence = entry.Valence;
            if (token.Valence != 0 && word.Equals("like", StringComparison.OrdinalIgnoreCase) && !IsLikeTheVerb(text, tokens, i))
                token.Valence = 0;
        }
        ResolveDoubleDuty(tokens);
    }

    private static void Apply(Phrase phrase, Span<Token> tokens, int at)
    {
        var last = at + phrase.Words.Length - 1;
        for (var k = at; k <= last; k++)
        {
            tokens[k].Role = TokenRole.Consumed;
            tokens[k].Valence = 0;
        }
        switch (phrase.Kind)
        {
            case PhraseKind.Valence:
                // The value sits on the first word, so a negation just before the phrase reaches it.
                tokens[at].Role = TokenRole.Plain;
                tokens[at].Valence = phrase.Value;
                break;
            case PhraseKind.Modifier:
                tokens[last].Role = TokenRole.Modifier;
                tokens[last].Scalar = phrase.Value;
                break;
        }
    }

    /// <summary>"I like it", "really like", "don't like": liking; "feels like", "like 3 days": not.</summary>
    private static bool IsLikeTheVerb(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i) =>
        i > 0 && !tokens[i - 1].Has(TokenFlags.ClauseEnd) && tokens[i - 1].Kind == TokenKind.Word
        && WordRoles.MakesLikeAVerb(tokens[i - 1].In(text));

    private static void ResolveDoubleDuty(Span<Token> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Valence == 0 || token.Role is not (TokenRole.Modifier or TokenRole.Negator))
                continue;
            var hasNext = i + 1 < tokens.Length && !token.Has(TokenFlags.ClauseEnd) && tokens[i + 1].Kind == TokenKind.Word;
            ref readonly var next = ref tokens[i + (hasNext ? 1 : 0)];
            var modifiesNext = hasNext && (next.Valence != 0 || next.Role is TokenRole.Modifier);
            if (token.Role == TokenRole.Negator)
            {
                // "no problems": the negation does the work; "No." or "no way" is a negative answer.
                if (modifiesNext)
                    token.Valence = 0;
                continue;
            }
            if (modifiesNext)
                token.Valence = 0;
            else
                token.Role = TokenRole.Plain;
        }
    }
}
