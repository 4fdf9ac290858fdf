namespace SocialCrm.Insights.Terms;

/// <summary>
/// Finds where a customer uses the product for something else, within one clause:
/// "use(d) [it | the box] as X", "repurposed [it] as/into/for X", "doubles as X", "works as X",
/// "works great/well/perfectly for X", "also/even great/perfect/works for X", "turned it into X",
/// "makes a great X", "makeshift X", and "instead of X" when the clause speaks of using ("I use it
/// instead of a kettle"). X is the noun phrase that follows, past one determiner and up to two
/// adjectives; it must start with a candidate noun, so gerunds ("instead of waiting"), pronouns
/// ("works great for me"), people ("for my kids") and non-uses ("a great gift", "for the price") never
/// count.
/// </summary>
internal static class UnusualUses
{
    public const int MaxPerMessage = 3;

    /// <summary>Writes the uses' noun phrases into found, marks their tokens consumed, returns how many.</summary>
    public static int Find(Span<Token> tokens, Span<Phrase> found)
    {
        var count = 0;
        var useClause = -1;
        var foundClause = -1;
        for (var i = 0; i < tokens.Length && count < found.Length; i++)
        {
            var token = tokens[i];
            if (token.Shape != TokenShape.Word || token.Entry.Cue == UseCue.None) continue;
            var phrase = token.Entry.Cue switch
            {
                UseCue.Use => AfterObject(tokens, i, UseCue.As, UseCue.As, requireObject: false),
                UseCue.Repurpose => AfterObject(tokens, i, UseCue.As, UseCue.Into, requireObject: false, orFor: true),
                UseCue.Turn => AfterObject(tokens, i, UseCue.Into, UseCue.Into, requireObject: true),
                UseCue.Double => Cue(tokens, i + 1, token.Clause) == UseCue.As ? NounPhrase(tokens, i + 2, token.Clause) : null,
                UseCue.Work or UseCue.AlsoEven => AfterPraise(tokens, i),
                UseCue.Make => AfterPraisedArticle(tokens, i),
                UseCue.Makeshift => NounPhrase(tokens, i + 1, token.Clause),
                UseCue.Instead when useClause == token.Clause && foundClause != token.Clause
                    && Cue(tokens, i + 1, token.Clause) == UseCue.Of => NounPhrase(tokens, i + 2, token.Clause),
                _ => null,
            };
            if (token.Entry.Cue == UseCue.Use) useClause = token.Clause;
            if (phrase is not { } use) continue;

            for (var k = use.Start; k < use.End; k++) tokens[k].Consumed = true;
            found[count++] = use;
            foundClause = token.Clause;
        }
        return count;
    }

    /// <summary>"use it as X", "used the old box as X", "turned it into X": up to four object words, then the link word.</summary>
    private static Phrase? AfterObject(ReadOnlySpan<Token> tokens, int i, UseCue link, UseCue otherLink, bool requireObject,
        bool orFor = false)
    {
        var clause = tokens[i].Clause;
        for (var j = i + 1; j < tokens.Length && j <= i + 5 && tokens[j].Clause == clause; j++)
        {
            var cue = tokens[j].Entry.Cue;
            if (cue == link || cue == otherLink || (orFor && cue == UseCue.For))
                return requireObject && j == i + 1 ? null : NounPhrase(tokens, j + 1, clause);
            var isObject = tokens[j].Entry.Is(WordClass.ObjectPronoun | WordClass.Determiner)
                || tokens[j].Role is Role.Candidate or Role.Generic or Role.Modifier;
            if (!isObject) return null;
        }
        return null;
    }

    /// <summary>
    /// "works great for X", "works as X", "also perfect for X", "even works for X": the praise (or, after
    /// "also"/"even", the verb "work") must come before "for".
    /// </summary>
    private static Phrase? AfterPraise(ReadOnlySpan<Token> tokens, int i)
    {
        var clause = tokens[i].Clause;
        var works = tokens[i].Entry.Cue == UseCue.Work;
        var alsoOrEven = !works;
        var praised = false;
        for (var j = i + 1; j < tokens.Length && j <= i + 4 && tokens[j].Clause == clause; j++)
        {
            var entry = tokens[j].Entry;
            if (entry.Cue == UseCue.As)
                return works || praised ? NounPhrase(tokens, j + 1, clause) : null;
            if (entry.Cue == UseCue.For)
                return praised || (alsoOrEven && works) ? NounPhrase(tokens, j + 1, clause) : null;
            if (entry.Is(WordClass.Positive)) praised = true;
            else if (entry.Cue == UseCue.Work) works = true;
            else if (!entry.Is(WordClass.Intensifier)) return null;
        }
        return null;
    }

    /// <summary>"makes a great X", "made a perfect X".</summary>
    private static Phrase? AfterPraisedArticle(ReadOnlySpan<Token> tokens, int i)
    {
        var clause = tokens[i].Clause;
        var j = i + 1;
        if (j >= tokens.Length || tokens[j].Clause != clause || !tokens[j].Entry.Is(WordClass.Determiner)
            || tokens[j].NormLength > 2)
            return null;
        j++;
        if (j < tokens.Length && tokens[j].Entry.Is(WordClass.Intensifier) && !tokens[j].Entry.Is(WordClass.Positive)) j++;
        if (j >= tokens.Length || tokens[j].Clause != clause || !tokens[j].Entry.Is(WordClass.Positive)) return null;
        return NounPhrase(tokens, j + 1, clause);
    }

    /// <summary>
    /// The noun phrase at start: past one determiner and two adjectives, a run of up to three nouns whose
    /// first is a candidate and whose head is neither vague ("thing") nor a non-use ("gift").
    /// </summary>
    private static Phrase? NounPhrase(ReadOnlySpan<Token> tokens, int start, int clause)
    {
        var k = start;
        if (k < tokens.Length && tokens[k].Clause == clause && tokens[k].Entry.Is(WordClass.Determiner)) k++;
        for (var skipped = 0; skipped < 2 && k < tokens.Length && tokens[k].Clause == clause && tokens[k].Role == Role.Modifier; skipped++)
            k++;
        if (k >= tokens.Length || tokens[k].Clause != clause || tokens[k].Role != Role.Candidate || tokens[k].Consumed)
            return null;

        var end = k + 1;
        while (end < tokens.Length && end - k < Phrase.MaxWords && tokens[end].Joins && !tokens[end].Consumed
            && tokens[end].Role is Role.Candidate or Role.Generic)
            end++;
        var head = tokens[end - 1];
        return head.Role == Role.Generic || head.Entry.Is(WordClass.NotAUse) ? null : new Phrase(k, end);
    }

    private static UseCue Cue(ReadOnlySpan<Token> tokens, int i, int clause) =>
        i < tokens.Length && tokens[i].Clause == clause ? tokens[i].Entry.Cue : UseCue.None;
}
