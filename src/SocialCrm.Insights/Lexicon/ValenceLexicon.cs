using System.Globalization;
using System.Reflection;

namespace SocialCrm.Insights;

/// <summary>
/// The built-in valences: VADER's lexicon, then the team's (which wins), read once from the assembly.
/// Lookups take spans and ignore case, so reading a message allocates nothing.
/// </summary>
internal sealed class ValenceLexicon
{
    private readonly Dictionary<string, double> _words;
    private readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private ValenceLexicon(Dictionary<string, double> words, PhraseTable phrases)
    {
        _words = words;
        _lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
        Phrases = phrases;
    }

    /// <summary>Idioms and the lexicon's own multi-word entries.</summary>
    public PhraseTable Phrases { get; }

    public int Count => _words.Count;

    public static ValenceLexicon LoadBuiltIn()
    {
        var words = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var phrases = new List<Phrase>();
        Read("vader_lexicon.txt", words, phrases);
        Read("team_lexicon.txt", words, phrases);
        phrases.AddRange(Idioms.All());
        return new ValenceLexicon(words, new PhraseTable(phrases));
    }

    /// <summary>The valence of a token exactly as written (emoticons, emoji, words), ignoring case.</summary>
    public bool TryGetExact(ReadOnlySpan<char> token, out double valence) => _lookup.TryGetValue(token, out valence);

    /// <summary>The valence of a word, trying "goood" as "good" and "loooove" as "love" if need be.</summary>
    public bool TryGetWord(ReadOnlySpan<char> word, out double valence)
    {
        if (_lookup.TryGetValue(word, out valence))
            return true;
        Span<char> buffer = stackalloc char[Elongation.MaxLength];
        if (Elongation.TryCollapse(word, buffer, 2, out var twice) && _lookup.TryGetValue(twice, out valence))
            return true;
        return Elongation.TryCollapse(word, buffer, 1, out var once) && _lookup.TryGetValue(once, out valence);
    }

    private static void Read(string name, Dictionary<string, double> words, List<Phrase> phrases)
    {
        using var stream = typeof(ValenceLexicon).Assembly.GetManifestResourceStream($"SocialCrm.Insights.Lexicon.{name}")
            ?? throw new InvalidOperationException($"The lexicon {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
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
