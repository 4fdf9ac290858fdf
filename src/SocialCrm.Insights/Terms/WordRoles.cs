namespace SocialCrm.Insights.Terms;

/// <summary>
/// Decides which words can be terms. Listed words take their lexicon class; noun-or-verb words
/// ("order", "charges") read as verbs after a subject, "to" or a modal, or opening a subjectless
/// clause or segment ("Charges fast"); unknown words are judged by shape: -ly, -ous, -ful, -less, -able and
/// superlative -est words are modifiers, -ing and -ed words verbs, vowelless or elongated words
/// ("smh", "soooo") and words over 24 letters are nobody's term, and what remains is a candidate noun.
/// </summary>
internal static class WordRoles
{
    public static void Assign(Span<Token> tokens, ReadOnlySpan<char> norm)
    {
        for (var i = 0; i < tokens.Length; i++)
            tokens[i].Role = RoleOf(tokens, i, norm);
    }

    private static Role RoleOf(ReadOnlySpan<Token> tokens, int i, ReadOnlySpan<char> norm)
    {
        var token = tokens[i];
        if (token.Shape != TokenShape.Word) return Role.Other;
        var word = norm.Slice(token.NormStart, token.NormLength);
        var entry = token.Entry;
        if (entry.Is(WordClass.Stop)) return Role.Stop;
        if (entry.Is(WordClass.Modifier)) return Role.Modifier;
        if (entry.Is(WordClass.Verb)) return Role.Verb;
        if (entry.Is(WordClass.Ambiguous) && ActsAsVerb(tokens, i, word)) return Role.Verb;
        if (entry.Is(WordClass.Generic)) return Role.Generic;
        if (entry.Is(WordClass.Noun)) return Role.Candidate;
        if (entry.Is(WordClass.VerbCue | WordClass.Contrast)) return Role.Stop;
        var role = entry.Is(WordClass.Ambiguous) ? Role.Candidate : ByShape(word);
        return role == Role.Candidate && VerbAfterNoun(tokens, i, word, norm) ? Role.Verb : role;
    }

    /// <summary>
    /// "the battery drains so fast", "the app crashes constantly": an -s word right after a noun and
    /// right before an adverb is the noun's verb, not the end of its phrase.
    /// </summary>
    private static bool VerbAfterNoun(ReadOnlySpan<Token> tokens, int i, ReadOnlySpan<char> word, ReadOnlySpan<char> norm)
    {
        if (word[^1] != 's' || word.EndsWith("ss") || word.EndsWith("us") || word.EndsWith("is")) return false;
        if (i == 0 || !tokens[i].Joins || tokens[i - 1].Role != Role.Candidate) return false;
        if (i + 1 >= tokens.Length || tokens[i + 1].Segment != tokens[i].Segment || tokens[i + 1].Shape != TokenShape.Word)
            return false;
        var next = tokens[i + 1];
        return next.Entry.Is(WordClass.Modifier | WordClass.Intensifier)
            || (next.Entry.Class == WordClass.None && norm.Slice(next.NormStart, next.NormLength).EndsWith("ly"));
    }

    private static Role ByShape(ReadOnlySpan<char> word)
    {
        if (word.Length < 2 || word.Length > Singular.MaxWordLength) return Role.Other;
        if (word.StartsWith("haha") || word.StartsWith("hehe") || word.StartsWith("lol")) return Role.Stop;
        if (!HasVowel(word) || HasTripleLetter(word)) return Role.Other;
        if (word.Contains('-')) return ByParts(word);
        if (IsModifierBySuffix(word)) return Role.Modifier;
        if (IsVerbBySuffix(word)) return Role.Verb;
        return Role.Candidate;
    }

    /// <summary>
    /// "t-shirt", "wi-fi" and "non-stick" are things; "well-made", "high-quality" and "long-lasting"
    /// describe one.
    /// </summary>
    private static Role ByParts(ReadOnlySpan<char> word)
    {
        var first = word[..word.IndexOf('-')];
        var last = word[(word.LastIndexOf('-') + 1)..];
        if (first.Length == 0 || last.Length == 0) return Role.Other;
        if (Lexicon.Find(first).Is(WordClass.Stop | WordClass.Modifier | WordClass.Positive)) return Role.Modifier;
        if (Lexicon.Find(last).Is(WordClass.Stop | WordClass.Modifier | WordClass.Verb)) return Role.Modifier;
        if (IsModifierBySuffix(last) || IsVerbBySuffix(last)) return Role.Modifier;
        return Role.Candidate;
    }

    private static bool ActsAsVerb(ReadOnlySpan<Token> tokens, int i, ReadOnlySpan<char> word)
    {
        var clause = tokens[i].Clause;
        var before = i - 1;
        // Look past one adverb: "I never order", "it also charges".
        if (before >= 0 && tokens[before].Clause == clause && tokens[before].Entry.Is(WordClass.Stop | WordClass.Modifier)
            && !tokens[before].Entry.Is(WordClass.Determiner | WordClass.VerbCue))
            before--;
        if (before >= 0 && tokens[before].Clause == clause && tokens[before].Entry.Is(WordClass.VerbCue)) return true;

        // A subjectless clause or segment ("Looks great, fits perfect"), unless an auxiliary follows
        // ("Returns are a pain").
        var opens = i == 0 || tokens[i - 1].Segment != tokens[i].Segment;
        var auxiliaryFollows = i + 1 < tokens.Length && tokens[i + 1].Clause == clause && tokens[i + 1].Entry.Is(WordClass.Auxiliary);
        return opens && word[^1] == 's' && !auxiliaryFollows;
    }

    private static bool IsModifierBySuffix(ReadOnlySpan<char> word) =>
        (word.Length >= 5 && word.EndsWith("ly"))
        || (word.Length >= 6 && (word.EndsWith("ous") || word.EndsWith("ful") || word.EndsWith("est")))
        || (word.Length >= 7 && (word.EndsWith("less") || word.EndsWith("able") || word.EndsWith("ible")));

    private static bool IsVerbBySuffix(ReadOnlySpan<char> word) =>
        (word.Length >= 6 && word.EndsWith("ing"))
        || (word.Length >= 5 && word.EndsWith("ed") && !word.EndsWith("eed") && !word.EndsWith("bed"));

    // Accented letters count as vowels: "café" is a word.
    private static bool HasVowel(ReadOnlySpan<char> word) =>
        word.IndexOfAny("aeiouy") >= 0 || word.IndexOfAnyInRange('\u0080', '\uFFFF') >= 0;

    private static bool HasTripleLetter(ReadOnlySpan<char> word)
    {
        for (var i = 2; i < word.Length; i++)
            if (word[i] == word[i - 1] && word[i] == word[i - 2]) return true;
        return false;
    }
}
