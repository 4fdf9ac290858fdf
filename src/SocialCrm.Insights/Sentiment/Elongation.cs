namespace SocialCrm.Insights;

/// <summary>Stretched words ("sooo goood", "loooove"): runs of a repeated letter shortened for lookup.</summary>
internal static class Elongation
{
    /// <summary>Words longer than this are not collapsed (and need no stack buffer bigger than it).</summary>
    public const int MaxLength = 48;

    /// <summary>
    /// Copies <paramref name="word"/> into <paramref name="buffer"/> with every run of three or more
    /// equal letters cut to <paramref name="keep"/>; false when there is no such run.
    /// </summary>
    public static bool TryCollapse(ReadOnlySpan<char> word, Span<char> buffer, int keep, out ReadOnlySpan<char> collapsed)
    {
        collapsed = default;
        if (word.Length < 3 || word.Length > MaxLength || !HasRun(word))
            return false;
        var length = 0;
        var i = 0;
        while (i < word.Length)
        {
            var c = word[i];
            var run = 1;
            while (i + run < word.Length && char.ToLowerInvariant(word[i + run]) == char.ToLowerInvariant(c))
                run++;
            var copies = run >= 3 ? keep : run;
            for (var k = 0; k < copies; k++)
                buffer[length++] = c;
            i += run;
        }
        collapsed = buffer[..length];
        return true;
    }

    private static bool HasRun(ReadOnlySpan<char> word)
    {
        for (var i = 2; i < word.Length; i++)
        {
            if (char.IsLetter(word[i]) && char.ToLowerInvariant(word[i]) == char.ToLowerInvariant(word[i - 1])
                && char.ToLowerInvariant(word[i]) == char.ToLowerInvariant(word[i - 2]))
                return true;
        }
        return false;
    }
}
