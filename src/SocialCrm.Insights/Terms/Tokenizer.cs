using System.Buffers;
using System.Globalization;

namespace SocialCrm.Insights.Terms;

/// <summary>
/// Splits a message into tokens, segments and clauses in one pass, without allocating. A clause ends at
/// . ! ? ; : … or a line break, at a contrast word ("but", "however", "though"…) and after an emoji that
/// follows words ("love the battery 😍 screen is awful"). A comma, a dash or "and" ends a segment inside
/// its clause.
/// Links, e-mail addresses and @mentions are skipped; a #hashtag is read as its words ("#BatteryLife").
/// </summary>
internal ref struct Tokenizer
{
    private static readonly SearchValues<char> LinkMarks = SearchValues.Create("@/.:");

    private static readonly string[] TopLevelDomains =
        ["com", "net", "org", "io", "co", "uk", "us", "ly", "me", "app", "shop", "store", "ca", "de", "eu", "gg", "tv", "ai"];

    private readonly ReadOnlySpan<char> _text;
    private readonly Span<char> _norm;
    private readonly Span<Token> _tokens;
    private readonly Span<Segment> _segments;
    private int _normUsed;
    private int _clause;
    private int _segmentStart;
    private int _segmentEnd;
    private int _segmentFirstToken;
    private bool _joins;

    /// <param name="norm">Receives the lower-case words: as long as the text.</param>
    /// <param name="tokens">Room for the tokens: half the text's length plus two holds any ordinary text; tokens past the room are dropped.</param>
    /// <param name="segments">As long as tokens.</param>
    public Tokenizer(ReadOnlySpan<char> text, Span<char> norm, Span<Token> tokens, Span<Segment> segments)
    {
        _text = text;
        _norm = norm;
        _tokens = tokens;
        _segments = segments;
        _segmentStart = -1;
    }

    public int TokenCount { get; private set; }

    public int SegmentCount { get; private set; }

    public void Run()
    {
        var text = _text;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                EndSegment(endsClause: true);
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])) && LinkEnd(i) is var linkEnd and > 0)
            {
                Skip(i, linkEnd);
                i = linkEnd;
            }
            else if (c == '@')
            {
                i = SkipMention(i);
            }
            else if (char.IsLetter(c))
            {
                i = ReadWord(i);
            }
            else if (c == '#' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                i = ReadHashtag(i + 1);
            }
            else if (char.IsDigit(c))
            {
                i = ReadNumber(i);
            }
            else if (IsSentenceEnd(c))
            {
                i = EndSentence(i);
            }
            else if (c is ',' or '–' or '—' || (c == '-' && i > 0 && char.IsWhiteSpace(text[i - 1])))
            {
                if (_segmentStart >= 0) _segmentEnd = i + 1;
                EndSegment(endsClause: false);
                i++;
            }
            else if (IsEmoji(c))
            {
                i = ReadEmoji(i);
            }
            else
            {
                if (_segmentStart >= 0) _segmentEnd = i + 1;
                _joins = false;
                i++;
            }
        }
        EndSegment(endsClause: true);
    }

    /// <summary>Emoji, pictographs, dingbats and their joiners; a surrogate pair is one here.</summary>
    public static bool IsEmoji(char c) =>
        char.IsSurrogate(c) || c is '\u200D' or '\uFE0F' or '\u20E3' or (>= '\u2190' and <= '\u2BFF')
        || char.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol;

    private static bool IsSentenceEnd(char c) => c is '.' or '!' or '?' or ';' or ':' or '…';

    private static char Lower(char c) =>
        c < 128 ? (c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c) : char.ToLowerInvariant(c);

    private int ReadWord(int i)
    {
        var text = _text;
        var start = i;
        var normStart = _normUsed;
        var shape = TokenShape.Word;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                if (char.IsDigit(c)) shape = TokenShape.Number;
                else if (c > '\u024F' && shape == TokenShape.Word) shape = TokenShape.Foreign;
                _norm[_normUsed++] = Lower(c);
                i++;
            }
            else if (c is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                // "phone's" → "phone", "it's" → "it", "don't" → "dont".
                if (text[i + 1] is 's' or 'S' && (i + 2 == text.Length || !char.IsLetterOrDigit(text[i + 2])))
                {
                    i += 2;
                    break;
                }
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                _norm[_normUsed++] = '-';
                i++;
            }
            else if (char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                i++;
            }
            else
            {
                break;
            }
        }

        var length = _normUsed - normStart;
        var entry = shape == TokenShape.Word ? Lexicon.Find(_norm.Slice(normStart, length)) : default;
        if (entry.Is(WordClass.Contrast | WordClass.Coordinator))
        {
            _normUsed = normStart;
            EndSegment(endsClause: entry.Is(WordClass.Contrast));
        }
        else
        {
            Add(start, i, normStart, length, entry, shape);
        }
        return i;
    }

    /// <summary>A hashtag's words, split at case changes ("#BatteryLife" → battery, life); it joins no neighbour.</summary>
    private int ReadHashtag(int i)
    {
        var text = _text;
        _joins = false;
        while (i < text.Length && char.IsLetterOrDigit(text[i]))
        {
            var start = i;
            var normStart = _normUsed;
            var digits = char.IsDigit(text[i]);
            var shape = digits ? TokenShape.Number : TokenShape.Word;
            do
            {
                if (text[i] > '\u024F' && !digits) shape = TokenShape.Foreign;
                _norm[_normUsed++] = Lower(text[i]);
                i++;
            }
            while (i < text.Length && char.IsLetterOrDigit(text[i]) && char.IsDigit(text[i]) == digits
                && !(char.IsUpper(text[i]) && char.IsLower(text[i - 1])));

            var length = _normUsed - normStart;
            var entry = shape == TokenShape.Word ? Lexicon.Find(_norm.Slice(normStart, length)) : default;
            Add(start, i, normStart, length, entry, shape);
        }
        _joins = false;
        return i;
    }

    private int ReadNumber(int i)
    {
        var text = _text;
        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i])
            || (text[i] is '.' or ',' or ':' or '/' && i + 1 < text.Length && char.IsDigit(text[i + 1]))))
            i++;
        Add(start, i, _normUsed, 0, default, TokenShape.Number);
        return i;
    }

    /// <summary>The sentence's closing run (punctuation, closing quotes, emoji) stays with it.</summary>
    private int EndSentence(int i)
    {
        var text = _text;
        var end = i + 1;
        while (end < text.Length && (IsSentenceEnd(text[end]) || IsEmoji(text[end])
            || text[end] is ')' or ']' or '"' or '\'' or '”' or '’' or '»'))
            end++;
        if (_segmentStart >= 0) _segmentEnd = end;
        EndSegment(endsClause: true);
        return end;
    }

    /// <summary>An emoji run after words ends their clause; before any word it opens the next one.</summary>
    private int ReadEmoji(int i)
    {
        var text = _text;
        var end = i;
        while (end < text.Length)
        {
            if (IsEmoji(text[end])) end++;
            else if (text[end] == ' ' && end + 1 < text.Length && IsEmoji(text[end + 1])) end++;
            else break;
        }
        Skip(i, end);
        if (TokenCount > _segmentFirstToken) EndSegment(endsClause: true);
        return end;
    }

    private int SkipMention(int i)
    {
        var text = _text;
        var end = i + 1;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'
            || (text[end] == '.' && end + 1 < text.Length && char.IsLetterOrDigit(text[end + 1]))))
            end++;
        Skip(i, end);
        return end;
    }

    /// <summary>A link or e-mail address starting at i, up to the next white space; 0 when there is none.</summary>
    private readonly int LinkEnd(int i)
    {
        var rest = _text[i..];
        var length = rest.IndexOfAny(" \t\r\n");
        var chunk = length < 0 ? rest : rest[..length];
        if (chunk.Length < 4 || chunk.IndexOfAny(LinkMarks) < 0) return 0;
        var end = i + chunk.Length;
        if (chunk.Contains("://", StringComparison.Ordinal) || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            return end;
        if (chunk.IndexOf('@') > 0) return end;
        var dot = chunk.IndexOf('.');
        if (dot <= 0 || dot + 1 >= chunk.Length || !char.IsLetter(chunk[dot - 1]) || !char.IsLetter(chunk[dot + 1]))
            return 0;
        if (chunk[dot..].Contains('/')) return end;

        // "acme.com", "shop.acme.co.uk": the last part is a common top-level domain; "great.love" is a missed space.
        var last = chunk.TrimEnd(".,!?;:)\"'");
        var tld = last[(last.LastIndexOf('.') + 1)..];
        foreach (var domain in TopLevelDomains)
            if (tld.Equals(domain, StringComparison.OrdinalIgnoreCase)) return end;
        return 0;
    }

    private void Skip(int start, int end)
    {
        if (_segmentStart < 0) _segmentStart = start;
        _segmentEnd = end;
        _joins = false;
    }

    private void Add(int start, int end, int normStart, int normLength, Entry entry, TokenShape shape)
    {
        if (TokenCount == _tokens.Length) return;
        if (_segmentStart < 0) _segmentStart = start;
        _segmentEnd = end;
        var joins = _joins && TokenCount > _segmentFirstToken;
        _tokens[TokenCount++] = new Token
        {
            Start = start,
            End = end,
            NormStart = normStart,
            NormLength = normLength,
            Entry = entry,
            Shape = shape,
            Joins = joins,
            Clause = _clause,
            Segment = SegmentCount,
        };
        _joins = true;
    }

    private void EndSegment(bool endsClause)
    {
        if (TokenCount > _segmentFirstToken && SegmentCount < _segments.Length)
            _segments[SegmentCount++] = new Segment(_segmentStart, _segmentEnd, _segmentFirstToken, TokenCount, _clause);
        _segmentFirstToken = TokenCount;
        _segmentStart = -1;
        _joins = false;
        if (endsClause) _clause++;
    }
}
