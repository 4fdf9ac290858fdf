using System.Text;

namespace SocialCrm.Insights;

/// <summary>
/// Splits a message into words and symbols without allocating: tokens are ranges of the text.
/// Emoji become tokens of their own even when glued to a word; emoticons and ratings ("10/10")
/// are kept whole; punctuation around a word is dropped but remembered as a clause or sentence end.
/// </summary>
internal static class Tokenizer
{
    /// <summary>Reads up to <c>tokens.Length</c> tokens from <paramref name="text"/>; returns how many.</summary>
    public static int Read(ReadOnlySpan<char> text, Span<Token> tokens, ValenceLexicon lexicon)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length && count < tokens.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (text[i] == '\n' && count > 0)
                    tokens[count - 1].Flags |= TokenFlags.ClauseEnd | TokenFlags.SentenceEnd;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
                i++;
            count = ReadChunk(text, start, i, tokens, count, lexicon);
        }
        return count;
    }

    private static int ReadChunk(ReadOnlySpan<char> text, int start, int end, Span<Token> tokens, int count, ValenceLexicon lexicon)
    {
        var chunk = text[start..end];
        // Addresses and handles say nothing about sentiment; "@bestbuy" would read as "best".
        if (chunk[0] == '@' || chunk.StartsWith("http", StringComparison.OrdinalIgnoreCase) || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            return count;

        var segment = start;
        var j = start;
        while (j < end && count < tokens.Length)
        {
            if (text[j] < '\u200D')
            {
                j++;
                continue;
            }
            var width = Rune.DecodeFromUtf16(text[j..end], out var rune, out var consumed) == System.Buffers.OperationStatus.Done ? consumed : 1;
            var value = rune.Value;
            if (Emoji.IsJoiner(value))
            {
                count = ReadWord(text, segment, j, tokens, count, lexicon);
                j += width;
                segment = j;
                continue;
            }
            if (!Emoji.IsEmoji(value))
            {
                j += width;
                continue;
            }
            count = ReadWord(text, segment, j, tokens, count, lexicon);
            if (count < tokens.Length)
                tokens[count++] = new Token { Start = j, Length = width, Kind = TokenKind.Symbol, Flags = TokenFlags.ClauseEnd };
            j += width;
            segment = j;
        }
        return ReadWord(text, segment, end, tokens, count, lexicon);
    }

    private static int ReadWord(ReadOnlySpan<char> text, int start, int end, Span<Token> tokens, int count, ValenceLexicon lexicon)
    {
        if (start >= end || count >= tokens.Length)
            return count;
        var raw = text[start..end];
        if (!IsWordLike(raw) && lexicon.TryGetExact(raw, out _))
        {
            tokens[count++] = new Token { Start = start, Length = end - start, Kind = TokenKind.Symbol };
            return count;
        }

        var coreStart = start;
        while (coreStart < end && IsStrippable(text[coreStart]))
            coreStart++;
        if (coreStart > start && count > 0)
            tokens[count - 1].Flags |= EndsOf(text[start..coreStart]);
        var coreEnd = end;
        while (coreEnd > coreStart && IsStrippable(text[coreEnd - 1]))
            coreEnd--;
        if (coreStart == coreEnd)
            return count;

        count = ReadCore(text, coreStart, coreEnd, tokens, count);
        if (coreEnd == end || count == 0)
            return count;

        // The punctuation after the word, possibly with an emoticon glued on: "thanks:)", "late!!:(".
        var trail = text[coreEnd..end];
        for (var k = 0; k <= trail.Length - 2; k++)
        {
            if (lexicon.TryGetExact(trail[k..], out _))
            {
                tokens[count - 1].Flags |= EndsOf(trail[..k]) | TokenFlags.ClauseEnd;
                if (count < tokens.Length)
                    tokens[count++] = new Token { Start = coreEnd + k, Length = trail.Length - k, Kind = TokenKind.Symbol, Flags = TokenFlags.ClauseEnd };
                return count;
            }
        }
        tokens[count - 1].Flags |= EndsOf(trail);
        return count;
    }

    /// <summary>A word, split where sentence punctuation sits between two letters ("good...but", "nice,fast").</summary>
    private static int ReadCore(ReadOnlySpan<char> text, int start, int end, Span<Token> tokens, int count)
    {
        var wordStart = start;
        var i = start + 1;
        while (i < end - 1 && count < tokens.Length)
        {
            if (!IsClausePunctuation(text[i]) || !char.IsLetter(text[i - 1]))
            {
                i++;
                continue;
            }
            var after = i;
            while (after < end && IsClausePunctuation(text[after]))
                after++;
            if (after < end && char.IsLetter(text[after]))
            {
                tokens[count++] = WordToken(text, wordStart, i, EndsOf(text[i..after]));
                wordStart = after;
            }
            i = after;
        }
        if (count < tokens.Length)
            tokens[count++] = WordToken(text, wordStart, end, TokenFlags.None);
        return count;
    }

    private static Token WordToken(ReadOnlySpan<char> text, int start, int end, TokenFlags flags) => new()
    {
        Start = start,
        Length = end - start,
        Kind = TokenKind.Word,
        Flags = flags | (IsShouted(text[start..end]) ? TokenFlags.AllCaps : TokenFlags.None),
    };

    /// <summary>At least two letters and none of them lower case: "GREAT", "NOT", "WTF".</summary>
    private static bool IsShouted(ReadOnlySpan<char> word)
    {
        var letters = 0;
        foreach (var c in word)
        {
            if (char.IsLower(c))
                return false;
            if (char.IsUpper(c))
                letters++;
        }
        return letters >= 2;
    }

    private static bool IsWordLike(ReadOnlySpan<char> raw)
    {
        foreach (var c in raw)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('\'' or '-'))
                return false;
        }
        return true;
    }

    private static bool IsStrippable(char c) => char.IsPunctuation(c) || char.IsSymbol(c);

    private static bool IsClausePunctuation(char c) => c is '.' or ',' or ';' or ':' or '!' or '?' or '\u2026';

    private static TokenFlags EndsOf(ReadOnlySpan<char> punctuation)
    {
        var flags = TokenFlags.None;
        foreach (var c in punctuation)
        {
            if (c is '.' or '!' or '?' or '\u2026')
                return TokenFlags.ClauseEnd | TokenFlags.SentenceEnd;
            if (c is ',' or ';' or ':' or '\u2013' or '\u2014' or '(' or ')')
                flags = TokenFlags.ClauseEnd;
        }
        return flags;
    }
}
