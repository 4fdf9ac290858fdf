namespace SocialCrm.Insights;

/// <summary>
/// Adds up the tokens' valences under the rules: capitals, modifiers and negation within three words
/// and one clause, contrast ("but", "however": the clause after weighs more), then exclamation and
/// question marks, and squashes the sum into [-1, 1].
/// </summary>
internal static class Scoring
{
    private const int Window = 3;
    private const double BeforeContrast = 0.5;
    private const double AfterContrast = 1.5;
    /// <summary>The main clause of a sentence with a concession ("although …").</summary>
    private const double MainClause = 1.5;
    /// <summary>A negation that strengthens instead of flipping: "never so good", "couldn't be happier".</summary>
    private const double Reinforcement = 1.25;
    private const double ExclamationEmphasis = 0.292;
    private const int MaxExclamations = 4;
    private const double QuestionEmphasis = 0.18;
    private const double ManyQuestionsEmphasis = 0.96;
    /// <summary>What each laughter token adds to a complaint: as much as an exclamation mark.</summary>
    private const double LaughterEmphasis = ExclamationEmphasis;
    /// <summary>How negative the rest must be for laughter to read as mockery: one plain complaint word.</summary>
    private const double ClearComplaint = 1.0;
    /// <summary>"Nothing.", "Again.", "Twice." as a sentence of its own after a report: a mild complaint.</summary>
    private const double ExasperatedFragment = -1.5;
    /// <summary>Where a sum of x lands at x / sqrt(x² + Alpha): 15, as VADER's normalisation.</summary>
    private const double Alpha = 15;

    public static double Score(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens)
    {
        var shouting = HasCapsDifferential(tokens);
        var exclaimed = text.Contains('!');
        var context = new Context(shouting, exclaimed, Sarcasm.HasEyeRoll(text, tokens), Sarcasm.TrailingPraise(tokens),
            Sarcasm.LeadingPraise(text, tokens));
        double sum = 0, laughter = 0, trailing = 0, leading = 0, fragments = 0;
        var laughs = 0;
        var sentenceStart = 0;
        while (sentenceStart < tokens.Length)
        {
            var sentenceEnd = sentenceStart;
            while (sentenceEnd < tokens.Length - 1 && !tokens[sentenceEnd].Has(TokenFlags.SentenceEnd))
                sentenceEnd++;
            if (sentenceEnd == sentenceStart && sentenceStart > 0 && WordRoles.IsExasperatedFragment(tokens[sentenceStart].In(text)))
                fragments += ExasperatedFragment;
            sum += ScoreSentence(text, tokens, sentenceStart, sentenceEnd, context, ref laughter, ref laughs, ref trailing, ref leading);
            sentenceStart = sentenceEnd + 1;
        }
        // "The search doesn't find anything", "Nobody at the desk knew": a negated action, stated, with no sentiment word.
        if (sum == 0 && laughs == 0 && HasBareNegation(text, tokens))
            sum = BareNegation;
        // "Promised a callback three days ago. Nothing.", "Didn't show up. Again.": a one-word sentence of exasperation
        // after a report, unless the rest is praise ("Best pizza in town. Again.").
        if (fragments < 0 && sum <= 0)
            sum += fragments;
        // "Your app doesn't support my phone anymore, great": a lone word of praise after a complaint is irony.
        if (trailing > 0 && sum - trailing <= -ClearComplaint)
            sum += trailing * (WordRoles.NegationScalar - 1);
        // "Great, another delay": so is a lone word of praise before one.
        if (leading > 0 && sum - leading <= -ClearComplaint)
            sum += leading * (WordRoles.NegationScalar - 1);
        // "Laces snapped on day two lol": laughter at a complaint mocks, so it adds to the complaint.
        sum += sum <= -ClearComplaint ? -laughs * LaughterEmphasis : laughter;
        sum = AddPunctuationEmphasis(text, sum);
        return sum / Math.Sqrt(sum * sum + Alpha);
    }

    /// <summary>What holds for the whole message while its sentences are scored.</summary>
    private readonly record struct Context(bool Shouting, bool Exclaimed, bool EyeRoll, int TrailingPraise, int LeadingPraise);

    private static double ScoreSentence(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int start, int end, in Context context,
        ref double laughter, ref int laughs, ref double trailing, ref double leading)
    {
        var shouting = context.Shouting;
        int firstContrast = -1, lastContrast = -1;
        for (var i = start; i <= end; i++)
        {
            if (tokens[i].Role != TokenRole.Contrast)
                continue;
            if (firstContrast < 0)
                firstContrast = i;
            lastContrast = i;
        }
        // "Great food. But the service was awful.", "Great food. The service was slow though.": the next sentence contrasts with this one.
        var nextContrasts = end + 1 < tokens.Length && (tokens[end + 1].Role == TokenRole.Contrast || EndsWithThough(tokens, end + 1));
        // "The service was slow though.": "though" at the end weighs this sentence against the one before.
        var contrastsPrevious = start > 0 && EndsWithThough(tokens, start);
        var concedes = false;
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Role == TokenRole.Concession && !tokens[i].Has(TokenFlags.ClauseEnd))
                concedes = true;
        }
        var conceding = false;
        var asks = Questions.IsRequest(text, tokens, start, end, context.Exclaimed, shouting);

        var sum = 0.0;
        for (var i = start; i <= end; i++)
        {
            ref readonly var token = ref tokens[i];
            // "Although the room was small, the staff were lovely": the conceded clause weighs less than the main one.
            if (token.Role == TokenRole.Concession && !token.Has(TokenFlags.ClauseEnd))
                conceding = true;
            else if (conceding && i > start && tokens[i - 1].Has(TokenFlags.ClauseEnd))
                conceding = false;
            if (token.Valence == 0)
                continue;
            if (token.Has(TokenFlags.Laughter))
            {
                laughter += token.Valence;
                laughs++;
                continue;
            }
            var valence = token.Kind == TokenKind.Word ? Adjusted(text, tokens, i, shouting) : token.Valence;
            // "Which model is best for running?": praise words in a request name what is wanted.
            if (asks && valence > 0 && token.Kind == TokenKind.Word)
                continue;
            // "Great, another delay 🙄": an eye-roll turns the praise around it into irony.
            if (context.EyeRoll && valence > 0 && token.Kind == TokenKind.Word)
                valence *= WordRoles.NegationScalar;
            if (firstContrast >= 0 && firstContrast < i)
                valence *= AfterContrast;
            if (lastContrast > i || nextContrasts)
                valence *= BeforeContrast;
            if (concedes)
                valence *= conceding ? BeforeContrast : MainClause;
            if (contrastsPrevious)
                valence *= AfterContrast;
            if (i == context.TrailingPraise)
                trailing = valence;
            if (i == context.LeadingPraise)
                leading = valence;
            sum += valence;
        }
        if (sum == 0 && Questions.IsShouted(text, tokens, start, end))
            sum = Questions.ShoutedValence;
        return sum;
    }

    /// <summary>A word's valence after capitals and the modifiers and negations in the words before it.</summary>
    private static double Adjusted(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i, bool shouting)
    {
        var valence = tokens[i].Valence;
        if (shouting && tokens[i].Has(TokenFlags.AllCaps))
            valence += Math.Sign(valence) * WordRoles.CapsEmphasis;
        for (var distance = 1; distance <= Window && i - distance >= 0; distance++)
        {
            ref readonly var before = ref tokens[i - distance];
            if (before.Has(TokenFlags.ClauseEnd) || before.Kind != TokenKind.Word || before.Role is TokenRole.Contrast or TokenRole.Concession)
                break;
            if (before.Role == TokenRole.Modifier)
            {
                var scalar = before.Scalar;
                if (shouting && before.Has(TokenFlags.AllCaps))
                    scalar += Math.Sign(scalar) * WordRoles.CapsEmphasis;
                scalar *= distance switch { 1 => 1.0, 2 => 0.95, _ => 0.9 };
                valence += Math.Sign(valence) * scalar;
            }
            else if (before.Role == TokenRole.Negator)
            {
                if (IsObjectOfNegatedVerb(text, tokens, i, distance))
                    continue;
                valence *= IsNeverSo(text, tokens, i, distance) || IsPraiseBeyondWords(text, tokens, i, distance)
                    || IsNothingBetter(text, tokens, i, distance)
                    ? Reinforcement
                    : WordRoles.NegationScalar;
            }
        }
        return valence;
    }

    /// <summary>What a message with no sentiment word but a negated statement reads as: a mild complaint.</summary>
    private const double BareNegation = -1.0;

    /// <summary>
    /// Whether a sentence that is not a question holds a negation other than "no" ("doesn't", "not", "never",
    /// "nobody"): to a brand, saying what did not happen is a complaint ("Refund still not processed after 3 weeks").
    /// Only used when nothing else in the message carries sentiment.
    /// </summary>
    private static bool HasBareNegation(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens)
    {
        var start = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var end = tokens[i].Has(TokenFlags.SentenceEnd) || i == tokens.Length - 1;
            if (end)
            {
                var rest = text[(tokens[i].Start + tokens[i].Length)..];
                var stop = rest.IndexOfAnyExcept(' ', '!', ')');
                var question = stop >= 0 && rest[stop] == '?';
                if (!question)
                {
                    for (var k = start; k <= i; k++)
                    {
                        if (tokens[k].Role == TokenRole.Negator && tokens[k].Kind == TokenKind.Word && !WordRoles.Is(tokens[k].In(text), "no"))
                            return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }

    /// <summary>Whether the sentence that starts at <paramref name="start"/> ends on "though": "The staff were rude though."</summary>
    private static bool EndsWithThough(ReadOnlySpan<Token> tokens, int start)
    {
        var k = start;
        while (k < tokens.Length - 1 && !tokens[k].Has(TokenFlags.SentenceEnd))
            k++;
        return k > start && tokens[k].Role == TokenRole.Concession;
    }

    /// <summary>
    /// "Nobody answered my complaint", "didn't fix my problem": a complaint word that is the object of
    /// a negated verb (a possessive before it, a verb between) stays a complaint.
    /// </summary>
    private static bool IsObjectOfNegatedVerb(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i, int distance) =>
        distance == Window && tokens[i].Valence < 0
        && WordRoles.IsPossessive(tokens[i - 1].In(text)) && tokens[i - 2].Role == TokenRole.Plain;

    /// <summary>
    /// "never been better", "nothing better than a cold beer", "no better way", "never seen a worse film", "doesn't get
    /// better than this": a comparative after "never", "nothing", "nobody", "none", or before "than this", is a
    /// superlative. "not better" and "no better than the last one" still negate.
    /// </summary>
    private static bool IsNothingBetter(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i, int distance)
    {
        if (!WordRoles.IsSentimentComparative(tokens[i].In(text)))
            return false;
        var than = i + 1 < tokens.Length && !tokens[i].Has(TokenFlags.ClauseEnd) && WordRoles.Is(tokens[i + 1].In(text), "than");
        // "doesn't get better than this", "nothing is better than that".
        if (than && i + 2 < tokens.Length && !tokens[i + 1].Has(TokenFlags.ClauseEnd) && WordRoles.IsDemonstrative(tokens[i + 2].In(text)))
            return true;
        var negation = tokens[i - distance].In(text);
        if (WordRoles.Is(negation, "no"))
            return !than;
        return WordRoles.IsNever(negation) || WordRoles.Is(negation, "nothing") || WordRoles.Is(negation, "nobody")
            || WordRoles.Is(negation, "none") || WordRoles.Is(negation, "nowhere");
    }

    /// <summary>"never so happy", "never this good": "never" with a degree word between strengthens.</summary>
    private static bool IsNeverSo(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i, int distance)
    {
        if (distance < 2 || !WordRoles.IsNever(tokens[i - distance].In(text)))
            return false;
        for (var k = i - distance + 1; k < i; k++)
        {
            if (WordRoles.IsDegreeWord(tokens[k].In(text)))
                return true;
        }
        return false;
    }

    /// <summary>
    /// "couldn't be happier", "can't be better", "couldn't be more pleased", "can't thank you enough":
    /// a modal negation of a comparative, or of anything followed by "enough", is a superlative.
    /// </summary>
    private static bool IsPraiseBeyondWords(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i, int distance)
    {
        var negation = i - distance;
        var previous = negation > 0 ? tokens[negation - 1].In(text) : default;
        if (!WordRoles.IsModalNegation(tokens[negation].In(text), previous))
            return false;
        var comparative = WordRoles.IsComparative(tokens[i].In(text))
            || (i > negation + 1 && (WordRoles.Is(tokens[i - 1].In(text), "more") || WordRoles.Is(tokens[i - 1].In(text), "less")));
        if (comparative)
        {
            for (var k = negation + 1; k < i; k++)
            {
                if (WordRoles.Is(tokens[k].In(text), "be") || WordRoles.Is(tokens[k].In(text), "been"))
                    return true;
            }
        }
        for (var k = i; k < tokens.Length && k <= i + Window; k++)
        {
            if (k > i && WordRoles.Is(tokens[k].In(text), "enough"))
                return true;
            if (tokens[k].Has(TokenFlags.ClauseEnd))
                break;
        }
        return false;
    }

    /// <summary>Capitals are emphasis only when the message is not written all in capitals.</summary>
    private static bool HasCapsDifferential(ReadOnlySpan<Token> tokens)
    {
        int shouted = 0, words = 0;
        foreach (ref readonly var token in tokens)
        {
            if (token.Kind != TokenKind.Word)
                continue;
            words++;
            if (token.Has(TokenFlags.AllCaps))
                shouted++;
        }
        return shouted > 0 && shouted < words;
    }

    private static double AddPunctuationEmphasis(ReadOnlySpan<char> text, double sum)
    {
        if (sum == 0)
            return 0;
        var exclamations = Math.Min(text.Count('!'), MaxExclamations);
        var questions = text.Count('?');
        var emphasis = exclamations * ExclamationEmphasis;
        if (questions > 1)
            emphasis += questions <= 3 ? questions * QuestionEmphasis : ManyQuestionsEmphasis;
        return sum + Math.Sign(sum) * emphasis;
    }
}
