namespace SocialCrm.Insights.Terms;

/// <summary>A run of tokens [Start, End) that names one thing.</summary>
internal readonly record struct Phrase(int Start, int End)
{
    public const int MaxWords = 3;
    public const int MaxLength = 40;

    /// <summary>Room a caller gives <see cref="Write"/>.</summary>
    public const int BufferLength = MaxLength + Singular.MaxWordLength;

    /// <summary>
    /// Writes the phrase as a term: lower case, words joined by one space, the last word (the head of an
    /// English noun phrase) in the singular. Leading words are dropped to keep at most three words and 40
    /// characters. Returns the length, 0 when nothing fits.
    /// </summary>
    public int Write(ReadOnlySpan<Token> tokens, ReadOnlySpan<char> norm, Span<char> destination)
    {
        var first = Math.Max(Start, End - MaxWords);
        while (first < End && Length(tokens, first) > MaxLength) first++;
        if (first >= End) return 0;

        var used = 0;
        for (var i = first; i < End - 1; i++)
        {
            norm.Slice(tokens[i].NormStart, tokens[i].NormLength).CopyTo(destination[used..]);
            used += tokens[i].NormLength;
            destination[used++] = ' ';
        }
        var head = tokens[End - 1];
        used += Singular.Write(norm.Slice(head.NormStart, head.NormLength), destination[used..]);
        return used <= MaxLength ? used : 0;
    }

    private int Length(ReadOnlySpan<Token> tokens, int first)
    {
        var length = End - first - 1;
        for (var i = first; i < End; i++) length += tokens[i].NormLength;
        return length;
    }
}
