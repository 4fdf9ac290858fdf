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
                if (token.Valence > 0 && WordRoles.IsLaughter(word))
                    token.Flags |= TokenFlags.Laughter;
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
            if (token.Valence > 0 && WordRoles.IsLaughter(word))
                token.Flags |= TokenFlags.Laughter;
            if (token.Valence == 0 && IsFreeOfHyphenated(word, lexicon))
                token.Valence = FreeOf;
        }
        ReadFreeOf(text, tokens);
        ReadYet(text, tokens);
        ResolveDoubleDuty(tokens);
        ReadExcess(text, tokens);
        ReadWishes(text, tokens);
        ReadNeverAgain(text, tokens);
        ReadPrivation(text, tokens);
        ReadCounterfactuals(text, tokens);
        ReadIronicLove(text, tokens);
        ReadSoMuchFor(text, tokens);
        ReadOnlyGood(text, tokens);
        ReadWishClauses(text, tokens);
        ReadNotMoreThan(text, tokens);
    }

    /// <summary>
    /// "Good, not great", "decent but not amazing": praise followed at once by a negated stronger praise says how good,
    /// not that it is bad; the negated word then counts for nothing. Only right after the comma or "but", where the
    /// subject is the same: in "good food but the service was not great" the negation stands.
    /// </summary>
    private static void ReadNotMoreThan(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var n = 1; n + 1 < tokens.Length; n++)
        {
            ref readonly var negation = ref tokens[n];
            if (negation.Role != TokenRole.Negator || !WordRoles.Is(negation.In(text), "not") || negation.Has(TokenFlags.ClauseEnd))
                continue;
            // The praise before: the word before the comma, or before "but".
            var before = tokens[n - 1].Has(TokenFlags.ClauseEnd) ? n - 1
                : n >= 2 && tokens[n - 1].Role == TokenRole.Contrast && !tokens[n - 2].Has(TokenFlags.ClauseEnd) ? n - 2 : -1;
            if (before < 0 || tokens[before].Has(TokenFlags.SentenceEnd) || tokens[before].Kind != TokenKind.Word
                || tokens[before].Valence <= 0 || tokens[before].Role != TokenRole.Plain
                || (before > 0 && tokens[before - 1].Role == TokenRole.Negator))
                continue;
            // The stronger praise: right after "not", or after one modifier ("not that great", "not very good").
            var after = n + 1;
            if (tokens[after].Role == TokenRole.Modifier && !tokens[after].Has(TokenFlags.ClauseEnd) && after + 1 < tokens.Length)
                after++;
            ref var stronger = ref tokens[after];
            if (stronger.Kind == TokenKind.Word && stronger.Role == TokenRole.Plain && stronger.Valence > tokens[before].Valence)
                stronger.Valence = 0;
        }
    }

    /// <summary>"Wish it had more sizes", "I wish they would answer": wishing a thing were otherwise is a mild complaint.</summary>
    private const double WishedOtherwise = -1.0;

    /// <summary>
    /// "wish" followed by a clause about the thing ("I wish it had…", "wish there was…", "wish you would…") says it
    /// is not so: the praise in the clause is negated and "wish" is a mild complaint. "I wish you a happy new year",
    /// "wish me luck" and "wish I'd found this sooner" (a clause about oneself) keep their readings.
    /// </summary>
    private static void ReadWishClauses(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 2 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Kind != TokenKind.Word || token.Role != TokenRole.Plain || token.Has(TokenFlags.ClauseEnd)
                || !(WordRoles.Is(token.In(text), "wish") || WordRoles.Is(token.In(text), "wished")))
                continue;
            var subject = tokens[i + 1].In(text);
            var clause = WordRoles.IsWishClauseSubject(subject)
                || (WordRoles.Is(subject, "you") && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && WordRoles.IsAuxiliary(tokens[i + 2].In(text)));
            if (!clause)
                continue;
            token.Valence = WishedOtherwise;
            for (var k = i + 1; k < tokens.Length; k++)
            {
                ref var next = ref tokens[k];
                if (next.Role is TokenRole.Negator or TokenRole.Contrast or TokenRole.Concession)
                    break;
                if (next.Kind == TokenKind.Word && next.Role == TokenRole.Plain && next.Valence > 0)
                    next.Valence *= WordRoles.NegationScalar;
                if (next.Has(TokenFlags.ClauseEnd))
                    break;
            }
        }
    }

    /// <summary>How many words after "would have" a counterfactual reaches, within one clause.</summary>
    private const int CounterfactualReach = 4;

    /// <summary>
    /// "It would have been great if it worked", "could've been a great film", "I'd have loved it": praise in a
    /// counterfactual past says it was not so, as a negation would. Complaints are left alone: "would have given
    /// it zero stars" is still a complaint.
    /// </summary>
    private static void ReadCounterfactuals(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            ref readonly var token = ref tokens[i];
            if (token.Kind != TokenKind.Word || token.Role != TokenRole.Plain || token.Has(TokenFlags.ClauseEnd))
                continue;
            int participle;
            // "Used to love this place", "it used to work fine": a past that no longer holds. Not "I'm used to it", "got used to".
            if (WordRoles.Is(token.In(text), "used") && i + 2 < tokens.Length && WordRoles.Is(tokens[i + 1].In(text), "to")
                && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && (i == 0 || !WordRoles.IsAccustomedVerb(tokens[i - 1].In(text))))
            {
                NegatePraise(text, tokens, i + 2);
                continue;
            }
            // "I hoped for better", "was hoping it would be great", "expected it to be good": an expectation told in the past
            // was not met. The hope itself is then no praise.
            if (WordRoles.IsPastExpectation(token.In(text), i > 0 ? tokens[i - 1].In(text) : default) && !token.Has(TokenFlags.ClauseEnd))
            {
                NegatePraise(text, tokens, i + 1);
                if (tokens[i].Valence > 0)
                    tokens[i].Valence = 0;
                continue;
            }
            // "It was supposed to be waterproof", "were supposed to be great": an expectation that was not met.
            if ((WordRoles.Is(token.In(text), "was") || WordRoles.Is(token.In(text), "were")) && i + 3 < tokens.Length
                && WordRoles.Is(tokens[i + 1].In(text), "supposed") && WordRoles.Is(tokens[i + 2].In(text), "to")
                && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && !tokens[i + 2].Has(TokenFlags.ClauseEnd))
            {
                NegatePraise(text, tokens, i + 3);
                continue;
            }
            if (WordRoles.IsCounterfactualModalWithHave(token.In(text)))
                participle = i + 1;
            else if (WordRoles.IsCounterfactualModal(token.In(text)) && WordRoles.Is(tokens[i + 1].In(text), "have")
                     && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && i + 2 < tokens.Length)
                participle = i + 2;
            else
                continue;
            // "should have a great time" is possession, not a counterfactual past: a participle follows "have".
            if (tokens[participle].Kind != TokenKind.Word || !WordRoles.IsPastParticiple(tokens[participle].In(text)))
                continue;
            NegatePraise(text, tokens, participle);
        }
    }

    /// <summary>Negates the praise in the few words from <paramref name="from"/>, up to a negation, contrast, "if" or the clause's end.</summary>
    private static void NegatePraise(ReadOnlySpan<char> text, Span<Token> tokens, int from)
    {
        for (var k = from; k < tokens.Length && k < from + CounterfactualReach; k++)
        {
            ref var next = ref tokens[k];
            if (next.Role is TokenRole.Negator or TokenRole.Contrast or TokenRole.Concession || WordRoles.Is(next.In(text), "if"))
                break;
            if (next.Kind == TokenKind.Word && next.Role == TokenRole.Plain && next.Valence > 0)
                next.Valence *= WordRoles.NegationScalar;
            if (next.Has(TokenFlags.ClauseEnd))
                break;
        }
    }

    /// <summary>
    /// "Love how it keeps crashing", "love it when the app logs me out and crashes": loving how or when something goes
    /// wrong is irony, so the love is turned around. "I love how easy it is" and "love how it never breaks" stay praise.
    /// </summary>
    private static void ReadIronicLove(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 2 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Kind != TokenKind.Word || token.Valence <= 0 || token.Has(TokenFlags.ClauseEnd) || !WordRoles.IsLove(token.In(text)))
                continue;
            var next = tokens[i + 1].In(text);
            var from = i + 2;
            if (WordRoles.Is(next, "it") && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && WordRoles.Is(tokens[i + 2].In(text), "when"))
                from = i + 3;
            // Not "love watching scary films", "love that sad song": there the complaint word is what is liked.
            else if (!(WordRoles.Is(next, "how") || WordRoles.Is(next, "when")))
                continue;
            if (tokens[i + 1].Has(TokenFlags.ClauseEnd))
                continue;
            var praise = false;
            var complaint = false;
            for (var k = from - 1; k < tokens.Length; k++)
            {
                if (k >= from)
                {
                    var negated = tokens[k - 1].Role == TokenRole.Negator || (k >= 2 && tokens[k - 2].Role == TokenRole.Negator);
                    if (tokens[k].Valence < 0 && !negated)
                        complaint = true;
                    else if (tokens[k].Valence > 0 && k > from - 1)
                        praise = true;
                }
                if (tokens[k].Has(TokenFlags.ClauseEnd) || tokens[k].Role is TokenRole.Contrast or TokenRole.Concession)
                    break;
            }
            if (complaint && !praise)
                token.Valence *= WordRoles.NegationScalar;
        }
    }

    /// <summary>"So much for fast delivery": opening a sentence, it says the praise that follows did not hold.</summary>
    private static void ReadSoMuchFor(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 3 < tokens.Length; i++)
        {
            if ((i > 0 && !tokens[i - 1].Has(TokenFlags.SentenceEnd)) || !WordRoles.Is(tokens[i].In(text), "so")
                || !WordRoles.Is(tokens[i + 1].In(text), "much") || !WordRoles.Is(tokens[i + 2].In(text), "for")
                || tokens[i].Has(TokenFlags.ClauseEnd) || tokens[i + 1].Has(TokenFlags.ClauseEnd) || tokens[i + 2].Has(TokenFlags.ClauseEnd))
                continue;
            tokens[i].Role = tokens[i + 1].Role = TokenRole.Consumed;
            tokens[i].Valence = tokens[i + 1].Valence = 0;
            tokens[i + 2].Role = TokenRole.Negator;
            tokens[i + 2].Valence = 0;
        }
    }

    /// <summary>"The only good thing was the price", "the only redeeming feature": the rest was not good.</summary>
    private static void ReadOnlyGood(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 2 < tokens.Length; i++)
        {
            if (!WordRoles.Is(tokens[i].In(text), "the") || !WordRoles.Is(tokens[i + 1].In(text), "only")
                || tokens[i].Has(TokenFlags.ClauseEnd) || tokens[i + 1].Has(TokenFlags.ClauseEnd))
                continue;
            ref var praise = ref tokens[i + 2];
            if (praise.Kind == TokenKind.Word && praise.Role == TokenRole.Plain && praise.Valence > 0
                && i + 3 < tokens.Length && !praise.Has(TokenFlags.ClauseEnd))
                praise.Valence *= WordRoles.NegationScalar;
        }
    }

    /// <summary>
    /// "lacks charm", "lost its appeal", "devoid of any wit", "missing the magic": a word of lacking or losing
    /// negates the good thing it names, as "not" would; the word itself then counts for nothing more.
    /// </summary>
    private static void ReadPrivation(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Kind != TokenKind.Word || token.Role != TokenRole.Plain || !WordRoles.IsPrivative(token.In(text)))
                continue;
            for (var k = i + 1; k < tokens.Length && k <= i + 3; k++)
            {
                if (tokens[k - 1].Has(TokenFlags.ClauseEnd))
                    break;
                ref var next = ref tokens[k];
                var word = next.In(text);
                if (next.Kind == TokenKind.Word && next.Role == TokenRole.Plain && next.Valence == 0 && WordRoles.IsDeterminer(word))
                    continue;
                if (next.Kind == TokenKind.Word && next.Role == TokenRole.Plain && next.Valence > 0)
                {
                    next.Valence *= WordRoles.NegationScalar;
                    token.Valence = 0;
                }
                break;
            }
        }
    }

    /// <summary>"I won't be ordering from here again", "never shopping there again": a customer lost, as "never again".</summary>
    private const double NeverAgain = -2.0;

    /// <summary>How far "again" may follow the negation, within one clause.</summary>
    private const int NeverAgainReach = 6;

    private static void ReadNeverAgain(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 2 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Role != TokenRole.Negator || token.Valence != 0 || !IsFutureNegation(text, tokens, i))
                continue;
            // With a sentiment word between, the negation reads it as usual: "never crashed again", "won't trust them again".
            for (var k = i + 1; k < tokens.Length && k <= i + NeverAgainReach; k++)
            {
                if (tokens[k - 1].Has(TokenFlags.ClauseEnd) || tokens[k].Valence != 0 || tokens[k].Role != TokenRole.Plain)
                    break;
                if (WordRoles.Is(tokens[k].In(text), "again"))
                {
                    token.Valence = NeverAgain;
                    break;
                }
            }
        }
    }

    /// <summary>"never", "won't", "wouldn't", "not going", "not coming", "not be": a negation of what one will do.</summary>
    private static bool IsFutureNegation(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i)
    {
        var word = tokens[i].In(text);
        if (WordRoles.IsNever(word) || WordRoles.Is(word, "won't") || WordRoles.Is(word, "wont")
            || WordRoles.Is(word, "wouldn't") || WordRoles.Is(word, "wouldnt"))
            return true;
        if (!WordRoles.Is(word, "not") || tokens[i].Has(TokenFlags.ClauseEnd))
            return false;
        var next = tokens[i + 1].In(text);
        return WordRoles.Is(next, "going") || WordRoles.Is(next, "coming") || WordRoles.Is(next, "be");
    }

    /// <summary>
    /// "Cheap, yet it feels solid", "and yet", "Yet the staff…": "yet" opening a clause is "but". As an adverb
    /// ("not yet", "yet another delay", "haven't arrived yet") it is not.
    /// </summary>
    private static void ReadYet(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            if (token.Kind != TokenKind.Word || token.Has(TokenFlags.ClauseEnd) || !WordRoles.Is(token.In(text), "yet"))
                continue;
            var opensClause = i == 0 || tokens[i - 1].Has(TokenFlags.ClauseEnd) || WordRoles.Is(tokens[i - 1].In(text), "and");
            var next = tokens[i + 1].In(text);
            if (opensClause && tokens[i + 1].Kind == TokenKind.Word && !WordRoles.Is(next, "another") && !WordRoles.Is(next, "again")
                && !WordRoles.Is(next, "more"))
                token.Role = TokenRole.Contrast;
        }
    }

    /// <summary>A quality there is too much or too little of ("too long", "a bit pricey", "slightly overcooked"): a mild complaint.</summary>
    private const double Excess = -1.0;

    /// <summary>"could be quicker", "should have been cheaper": a wish that it were better, as "could be better".</summary>
    private const double Wish = -1.2;

    private static void ReadExcess(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            ref readonly var token = ref tokens[i];
            if (token.Role != TokenRole.Modifier || token.Has(TokenFlags.ClauseEnd) || !WordRoles.IsExcess(token.In(text)))
                continue;
            ref var next = ref tokens[i + 1];
            var word = next.In(text);
            if (next.Kind == TokenKind.Word && next.Role == TokenRole.Plain && next.Valence == 0 && char.IsLetter(word[0])
                && !WordRoles.IsFunctionWord(word))
                next.Valence = Excess;
        }
    }

    private static void ReadWishes(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 1; i + 1 < tokens.Length; i++)
        {
            var word = tokens[i].In(text);
            if (!WordRoles.Is(word, "be") && !WordRoles.Is(word, "been"))
                continue;
            var modal = tokens[i - 1].In(text);
            if (WordRoles.Is(modal, "have") && i >= 2)
                modal = tokens[i - 2].In(text);
            ref var next = ref tokens[i + 1];
            if (!WordRoles.IsWishModal(modal) || tokens[i].Has(TokenFlags.ClauseEnd) || next.Kind != TokenKind.Word
                || next.Role != TokenRole.Plain || next.Valence < 0 || !WordRoles.IsQualityComparative(next.In(text)))
                continue;
            next.Valence = Wish;
        }
    }

    /// <summary>"stress free", "hassle-free", "cruelty free": free of something bad is mildly good.</summary>
    private const double FreeOf = 1.5;

    private static bool IsFreeOfHyphenated(ReadOnlySpan<char> word, ValenceLexicon lexicon) =>
        word.Length > 6 && word.EndsWith("-free", StringComparison.OrdinalIgnoreCase)
        && lexicon.TryGetExact(word[..^5], out var before) && before < 0;

    private static void ReadFreeOf(ReadOnlySpan<char> text, Span<Token> tokens)
    {
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            ref var token = ref tokens[i];
            ref var next = ref tokens[i + 1];
            if (token.Valence >= 0 || token.Kind != TokenKind.Word || token.Role != TokenRole.Plain
                || token.Has(TokenFlags.ClauseEnd) || next.Kind != TokenKind.Word || !WordRoles.Is(next.In(text), "free"))
                continue;
            token.Valence = FreeOf;
            next.Valence = 0;
            next.Role = TokenRole.Consumed;
        }
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
            case PhraseKind.Negator:
                tokens[last].Role = TokenRole.Negator;
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
