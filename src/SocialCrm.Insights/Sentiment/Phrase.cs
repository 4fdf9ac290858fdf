namespace SocialCrm.Insights;

/// <summary>What a multi-word phrase does when it matches.</summary>
internal enum PhraseKind : byte
{
    /// <summary>The phrase carries a valence of its own ("the bomb", "cut the mustard").</summary>
    Valence,
    /// <summary>The phrase strengthens or weakens what follows ("kind of", "a bit").</summary>
    Modifier,
    /// <summary>The phrase means nothing for sentiment and hides its words' own readings ("at least").</summary>
    Neutral,
    /// <summary>The phrase negates what follows, as "not" would ("far from perfect", "anything but good").</summary>
    Negator,
}

/// <summary>A phrase of two or more words, compared case-insensitively token by token.</summary>
internal sealed record Phrase(string[] Words, double Value, PhraseKind Kind);

/// <summary>Phrases indexed by their first word; the longest match at a position wins.</summary>
internal sealed class PhraseTable
{
    private readonly Dictionary<string, Phrase[]> _byFirstWord;
    private readonly Dictionary<string, Phrase[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public PhraseTable(IEnumerable<Phrase> phrases)
    {
        var groups = new Dictionary<string, List<Phrase>>(StringComparer.OrdinalIgnoreCase);
        foreach (var phrase in phrases)
        {
            if (!groups.TryGetValue(phrase.Words[0], out var list))
                groups[phrase.Words[0]] = list = [];
            // A later phrase with the same words replaces the earlier one.
            list.RemoveAll(p => p.Words.AsSpan().SequenceEqual(phrase.Words, StringComparer.OrdinalIgnoreCase));
            list.Add(phrase);
        }
        _byFirstWord = new Dictionary<string, Phrase[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (first, list) in groups)
            _byFirstWord[first] = [.. list.OrderByDescending(p => p.Words.Length)];
        _lookup = _byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static PhraseTable Empty { get; } = new([]);

    public bool IsEmpty => _byFirstWord.Count == 0;

    /// <summary>The longest phrase that starts at token <paramref name="at"/> and stays within one clause.</summary>
    public Phrase? Match(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int at)
    {
        if (_byFirstWord.Count == 0 || !_lookup.TryGetValue(tokens[at].In(text), out var candidates))
            return null;
        foreach (var phrase in candidates)
        {
            if (Matches(phrase, text, tokens, at))
                return phrase;
        }
        return null;
    }

    private static bool Matches(Phrase phrase, ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int at)
    {
        var words = phrase.Words;
        if (at + words.Length > tokens.Length)
            return false;
        for (var k = 1; k < words.Length; k++)
        {
            ref readonly var previous = ref tokens[at + k - 1];
            ref readonly var token = ref tokens[at + k];
            if (previous.Has(TokenFlags.ClauseEnd) || token.Kind != TokenKind.Word
                || !token.In(text).Equals(words[k], StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }
}
