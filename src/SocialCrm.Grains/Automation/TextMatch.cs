using System.Globalization;
using System.Text;

namespace SocialCrm.Grains.Automation;

/// <summary>
/// Word matching for the <c>text</c> condition, without regular expressions: a text is cut into
/// tokens, runs of letters and digits, compared in one normal form: compatibility-decomposed (NFKD:
/// "ｏｒｄｅｒ" is "order"), accents and other non-spacing marks dropped ("órder" is "order"),
/// lower-cased, with ß as "ss", dotless ı as i and final ς as σ. A phrase matches whole consecutive
/// tokens, whatever punctuation or space lies between them: "order" matches "Where is my ORDER?"
/// but not "reorder" or "orders"; "next day" matches "next-day". Scripts written without spaces
/// (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) make one token of each character, so their
/// phrases match anywhere in a text.
/// </summary>
public static class TextMatch
{
    public static TokenizedText Tokenize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return TokenizedText.Empty;
        var decomposed = Decompose(text);
        var buffer = new StringBuilder(decomposed.Length);
        var bounds = new List<int>();
        var start = -1;
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            // Accents, and joiners, soft hyphens and direction marks inside a word, are not part of its spelling.
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) continue;
            if (category == UnicodeCategory.Format && rune.Value != ZeroWidthSpace) continue;
            if (!IsWordPart(rune, category))
            {
                End();
                continue;
            }
            if (IsUnspaced(rune.Value))
            {
                End();
                start = buffer.Length;
                AppendFolded(buffer, rune);
                End();
                continue;
            }
            if (start < 0) start = buffer.Length;
            AppendFolded(buffer, rune);
        }
        End();
        return new TokenizedText(buffer.ToString(), [.. bounds]);

        void End()
        {
            if (start < 0) return;
            bounds.Add(start);
            bounds.Add(buffer.Length - start);
            start = -1;
        }
    }

    /// <summary>Compiles phrases once for any number of texts; a phrase without a letter or digit can never match and is left out.</summary>
    public static PhraseSet Compile(IEnumerable<string?>? phrases)
    {
        var tokenized = new List<(string Phrase, TokenizedText Tokens)>();
        foreach (var phrase in phrases ?? [])
        {
            var tokens = Tokenize(phrase);
            if (tokens.Count > 0) tokenized.Add((phrase!, tokens));
        }
        return new PhraseSet(tokenized);
    }

    /// <summary>Whether any of the phrases is in <paramref name="text"/>.</summary>
    public static bool Matches(PhraseSet phrases, string? text) => phrases.AnyIn(Tokenize(text));

    private const int ZeroWidthSpace = 0x200B;

    private static string Decompose(string text)
    {
        if (Ascii.IsValid(text)) return text;
        return Repair(text).Normalize(NormalizationForm.FormKD);
    }

    /// <summary>
    /// The text with what Normalize refuses, and a message may hold, made U+FFFD (a separator): unpaired
    /// surrogates and U+FFFE.
    /// </summary>
    private static string Repair(string text)
    {
        StringBuilder? repaired = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                repaired?.Append(c).Append(text[i]);
                continue;
            }
            if (char.IsSurrogate(c) || c == '\uFFFE')
            {
                repaired ??= new StringBuilder(text.Length).Append(text, 0, i);
                repaired.Append('\uFFFD');
                continue;
            }
            repaired?.Append(c);
        }
        return repaired?.ToString() ?? text;
    }

    private static bool IsWordPart(Rune rune, UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber => true,
        // Vowel signs of Indic scripts: a word goes on through them.
        UnicodeCategory.SpacingCombiningMark => true,
        // The modifier letters of U+02B0–U+02FF left after decomposition are apostrophes and tone
        // marks ("donʼt" with U+02BC): separators, as the ASCII apostrophe is.
        UnicodeCategory.ModifierLetter => rune.Value is < 0x02B0 or > 0x02FF,
        _ => false,
    };

    private static bool IsUnspaced(int c) =>
        c is (>= 0x0E00 and <= 0x0EFF)          // Thai, Lao
            or (>= 0x1000 and <= 0x109F)        // Myanmar
            or (>= 0x1780 and <= 0x17FF)        // Khmer
            or (>= 0x2E80 and <= 0x2FDF)        // CJK radicals
            or (>= 0x3005 and <= 0x3007)        // 々 〆 〇
            or (>= 0x3021 and <= 0x3029)        // Hangzhou numerals
            or (>= 0x3040 and <= 0x30FF)        // Hiragana, Katakana
            or (>= 0x31F0 and <= 0x31FF)        // Katakana extensions
            or (>= 0x3400 and <= 0x4DBF)        // CJK extension A
            or (>= 0x4E00 and <= 0x9FFF)        // CJK unified ideographs
            or (>= 0xF900 and <= 0xFAFF)        // CJK compatibility ideographs
            or (>= 0x20000 and <= 0x3FFFF);     // CJK extensions B and later

    private static void AppendFolded(StringBuilder buffer, Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        switch (lower.Value)
        {
            case 'ß':
                buffer.Append("ss");
                return;
            case 'ı':
                buffer.Append('i');
                return;
            case 'ς':
                buffer.Append('σ');
                return;
        }
        Span<char> utf16 = stackalloc char[2];
        buffer.Append(utf16[..lower.EncodeToUtf16(utf16)]);
    }
}

/// <summary>A text cut into normal-form tokens (<see cref="TextMatch"/>) once, to be matched against any number of phrase sets.</summary>
public sealed class TokenizedText
{
    public static readonly TokenizedText Empty = new("", []);

    private readonly string _normalized;
    // Start and length of each token in _normalized, in pairs.
    private readonly int[] _bounds;

    internal TokenizedText(string normalized, int[] bounds)
    {
        _normalized = normalized;
        _bounds = bounds;
    }

    public int Count => _bounds.Length / 2;

    public string this[int index] => Token(index).ToString();

    internal ReadOnlySpan<char> Token(int index) => _normalized.AsSpan(_bounds[2 * index], _bounds[2 * index + 1]);
}

/// <summary>
/// Phrases compiled for matching: an Aho–Corasick automaton over tokens, so finding any number of
/// phrases in a text costs one pass over its tokens, however the phrases overlap.
/// </summary>
public sealed class PhraseSet
{
    private readonly string[] _phrases;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabulary;
    // The automaton's edges keyed (node << 32 | token); node 0 is the root.
    private readonly Dictionary<long, int> _next = [];
    private readonly int[] _fail;
    // The phrases that end at each node, and the nearest node down the fail chain where others end (-1: none).
    private readonly int[][] _ends;
    private readonly int[] _moreEnds;

    internal PhraseSet(List<(string Phrase, TokenizedText Tokens)> phrases)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var ends = new List<List<int>> { new() };
        var children = new List<List<(int Token, int Node)>> { new() };
        var phraseTexts = new List<string>();
        foreach (var (phrase, tokens) in phrases)
        {
            var node = 0;
            for (var i = 0; i < tokens.Count; i++)
            {
                var text = tokens[i];
                if (!vocabulary.TryGetValue(text, out var id)) vocabulary[text] = id = vocabulary.Count;
                if (!_next.TryGetValue(Edge(node, id), out var child))
                {
                    child = ends.Count;
                    ends.Add([]);
                    children.Add([]);
                    _next[Edge(node, id)] = child;
                    children[node].Add((id, child));
                }
                node = child;
            }
            // The same phrase written twice (or "Order" and "order") is one phrase.
            if (ends[node].Count > 0) continue;
            ends[node].Add(phraseTexts.Count);
            phraseTexts.Add(phrase);
        }
        _phrases = [.. phraseTexts];
        _vocabulary = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _ends = [.. ends.Select(e => e.ToArray())];
        _fail = new int[ends.Count];
        _moreEnds = new int[ends.Count];
        _moreEnds[0] = -1;
        // Breadth first, so the fail link of a node's parent is known before the node's own.
        var queue = new Queue<int>();
        foreach (var (_, child) in children[0])
        {
            _moreEnds[child] = -1;
            queue.Enqueue(child);
        }
        while (queue.TryDequeue(out var node))
        {
            foreach (var (token, child) in children[node])
            {
                var fail = _fail[node];
                while (fail != 0 && !_next.ContainsKey(Edge(fail, token))) fail = _fail[fail];
                _fail[child] = _next.TryGetValue(Edge(fail, token), out var target) && target != child ? target : 0;
                var f = _fail[child];
                _moreEnds[child] = _ends[f].Length > 0 ? f : _moreEnds[f];
                queue.Enqueue(child);
            }
        }
    }

    /// <summary>The distinct phrases, as first written.</summary>
    public IReadOnlyList<string> Phrases => _phrases;

    public int Count => _phrases.Length;

    /// <summary>Whether at least one phrase is in the text; never when there are no phrases.</summary>
    public bool AnyIn(TokenizedText text) => Count > 0 && Scan(text, new bool[Count], stopAt: 1) > 0;

    /// <summary>Whether every phrase is in the text; never when there are no phrases.</summary>
    public bool AllIn(TokenizedText text) => Count > 0 && Scan(text, new bool[Count], stopAt: Count) == Count;

    /// <summary>The phrases found in the text, in the order they were written.</summary>
    public IReadOnlyList<string> FoundIn(TokenizedText text)
    {
        var found = new bool[Count];
        Scan(text, found, stopAt: Count);
        return [.. _phrases.Where((_, i) => found[i])];
    }

    private int Scan(TokenizedText text, bool[] found, int stopAt)
    {
        var count = 0;
        var state = 0;
        for (var t = 0; t < text.Count; t++)
        {
            if (!_vocabulary.TryGetValue(text.Token(t), out var token))
            {
                // A word no phrase contains: no phrase runs across it.
                state = 0;
                continue;
            }
            while (true)
            {
                if (_next.TryGetValue(Edge(state, token), out var next))
                {
                    state = next;
                    break;
                }
                if (state == 0) break;
                state = _fail[state];
            }
            for (var node = _ends[state].Length > 0 ? state : _moreEnds[state]; node > 0; node = _moreEnds[node])
            {
                foreach (var phrase in _ends[node])
                {
                    if (found[phrase]) continue;
                    found[phrase] = true;
                    if (++count == stopAt) return count;
                }
            }
        }
        return count;
    }

    private static long Edge(int node, int token) => ((long)node << 32) | (uint)token;
}
