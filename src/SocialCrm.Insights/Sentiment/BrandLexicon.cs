using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace SocialCrm.Insights;

/// <summary>
/// A brand's own terms and valences (-4..4), which take precedence over the built-in lexicon:
/// "sick" is praise for a sneaker brand. Terms of up to three words match as phrases ("slaps hard").
/// </summary>
public sealed class BrandLexicon
{
    public const int MaxTerms = 500;
    public const int MaxTermLength = 40;
    public const int MaxWords = 3;
    public const double MaxValence = 4;

    private readonly Dictionary<string, double> _words;
    private readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;

    private BrandLexicon(Dictionary<string, double> terms)
    {
        Terms = new ReadOnlyDictionary<string, double>(terms);
        _words = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var phrases = new List<Phrase>();
        foreach (var (term, valence) in terms)
        {
            if (term.Contains(' '))
                phrases.Add(new Phrase(term.Split(' '), valence, PhraseKind.Valence));
            else
                _words[term] = valence;
        }
        _wordLookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        Phrases = new PhraseTable(phrases);
    }

    /// <summary>No terms: the built-in lexicon alone.</summary>
    public static BrandLexicon Empty { get; } = new(new Dictionary<string, double>(StringComparer.Ordinal));

    /// <summary>The terms, normalised: lower case, trimmed, words separated by single spaces.</summary>
    public IReadOnlyDictionary<string, double> Terms { get; }

    internal PhraseTable Phrases { get; }

    internal bool TryGetWord(ReadOnlySpan<char> word, out double valence)
    {
        valence = 0;
        return _words.Count != 0 && _wordLookup.TryGetValue(word, out valence);
    }

    /// <summary>
    /// Checks and normalises a brand's terms. On failure, <paramref name="error"/> is one sentence
    /// saying what to change.
    /// </summary>
    public static bool TryCreate(IReadOnlyDictionary<string, double> terms, out BrandLexicon? lexicon, out string? error)
    {
        lexicon = null;
        if (terms is null || terms.Count == 0)
            return Fail("Give at least one term with its valence.", out error);
        if (terms.Count > MaxTerms)
            return Fail($"A brand lexicon holds at most {MaxTerms} terms; this one has {terms.Count}, so remove {terms.Count - MaxTerms}.", out error);

        var normalised = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (raw, valence) in terms)
        {
            var term = Normalise(raw);
            if (term.Length == 0)
                return Fail("A term is empty; remove it or write a word.", out error);
            if (term.Length > MaxTermLength)
                return Fail($"The term '{Shorten(term)}' is {term.Length} characters long; a term has at most {MaxTermLength}.", out error);
            if (!HasOnlyTermCharacters(term))
                return Fail($"The term '{term}' has a character other than letters, digits, apostrophes, hyphens and spaces; remove it.", out error);
            if (term.Split(' ').Length > MaxWords)
                return Fail($"The term '{term}' has more than {MaxWords} words; shorten it.", out error);
            if (!double.IsFinite(valence) || valence < -MaxValence || valence > MaxValence)
                return Fail($"The valence of '{term}' must be a number from -4 to 4.", out error);
            if (!normalised.TryAdd(term, valence))
                return Fail($"The term '{term}' is given twice (terms are compared in lower case); keep one.", out error);
        }
        lexicon = new BrandLexicon(normalised);
        error = null;
        return true;
    }

    private static string Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return "";
        var builder = new StringBuilder(raw.Length);
        var space = false;
        foreach (var c in raw.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c is '\u2019' or '\u2018' ? '\'' : char.ToLower(c, CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static bool HasOnlyTermCharacters(string term)
    {
        foreach (var c in term)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('\'' or '-' or ' '))
                return false;
        }
        return true;
    }

    private static string Shorten(string term) => term.Length <= 20 ? term : term[..20] + "…";

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
