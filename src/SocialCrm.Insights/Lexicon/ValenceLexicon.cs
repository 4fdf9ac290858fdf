using System.Globalization;

namespace SocialCrm.Insights;

/// <summary>What the built-in lexicon knows of a word, found with one lookup.</summary>
internal readonly record struct WordEntry(double Valence, TokenRole Role, double Scalar, bool StartsPhrase);

/// <summary>
/// The built-in valences: VADER's lexicon, then the team's (which wins), read once from the assembly,
/// merged with the rules' closed-class words and the first words of idioms. Lookups take spans and
/// ignore case, so reading a message allocates nothing.
/// </summary>
internal sealed class ValenceLexicon
{
    private readonly Dictionary<string, WordEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private ValenceLexicon(Dictionary<string, WordEntry> entries, PhraseTable phrases)
    {
        _lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = entries.Count;
        Phrases = phrases;
    }

    /// <summary>Idioms and the lexicon's own multi-word entries.</summary>
    public PhraseTable Phrases { get; }

    public int Count { get; }

    public static ValenceLexicon LoadBuiltIn()
    {
        var valences = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var phrases = new List<Phrase>();
        Read("vader_lexicon.txt", valences, phrases);
        Read("team_lexicon.txt", valences, phrases);
        phrases.AddRange(Idioms.All());

        var entries = new Dictionary<string, WordEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (word, valence) in valences)
            entries[word] = new WordEntry(valence, TokenRole.Plain, 0, false);
        foreach (var (word, role, scalar) in WordRoles.All())
            entries[word] = entries.GetValueOrDefault(word) with { Role = role, Scalar = scalar };
        foreach (var phrase in phrases)
            entries[phrase.Words[0]] = entries.GetValueOrDefault(phrase.Words[0]) with { StartsPhrase = true };
        return new ValenceLexicon(entries, new PhraseTable(phrases));
    }

    /// <summary>The valence of a token exactly as written (emoticons, emoji, words), ignoring case.</summary>
    public bool TryGetExact(ReadOnlySpan<char> token, out double valence)
    {
        var found = _lookup.TryGetValue(token, out var entry);
        valence = entry.Valence;
        return found;
    }

    /// <summary>What is known of a word, trying "goood" as "good" and "sooo" as "so" if need be.</summary>
    public WordEntry Find(ReadOnlySpan<char> word)
    {
        if (_lookup.TryGetValue(word, out var entry))
            return WithContraction(word, entry);
        Span<char> buffer = stackalloc char[Elongation.MaxLength];
        if (Elongation.TryCollapse(word, buffer, 2, out var twice) && _lookup.TryGetValue(twice, out entry))
            return entry;
        if (Elongation.TryCollapse(word, buffer, 1, out var once) && _lookup.TryGetValue(once, out entry))
            return entry;
        return WithContraction(word, default);
    }

    /// <summary>Any word ending in n't ("shouldn't", "mustn't") negates.</summary>
    private static WordEntry WithContraction(ReadOnlySpan<char> word, WordEntry entry) =>
        entry.Role == TokenRole.Plain && word.EndsWith("n't", StringComparison.OrdinalIgnoreCase)
            ? entry with { Role = TokenRole.Negator }
            : entry;

    private static void Read(string name, Dictionary<string, double> words, List<Phrase> phrases)
    {
        using var stream = typeof(ValenceLexicon).Assembly.GetManifestResourceStream($"SocialCrm.Insights.Lexicon.{name}")
            ?? throw new InvalidOperationException($"The lexicon {name} is not embedded in SocialCrm.Insights.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#' && line.IndexOf('\t') < 0)
                continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                throw new FormatException($"{name}: a line has no tab between term and valence: '{line}'.");
            var term = line[..tab].Trim();
            var end = line.IndexOf('\t', tab + 1);
            var value = double.Parse(end < 0 ? line.AsSpan(tab + 1) : line.AsSpan(tab + 1, end - tab - 1), CultureInfo.InvariantCulture);
            // Entries with a space ("fed up", "can't stand") are phrases; a later line wins, as in VADER.
            if (term.Contains(' ') && !term.StartsWith('('))
                phrases.Add(new Phrase(term.Split(' ', StringSplitOptions.RemoveEmptyEntries), value, PhraseKind.Valence));
            else if (!term.Contains(' '))
                words[term] = value;
        }
    }
}
