using System.Collections.Frozen;

namespace SocialCrm.Insights.Terms;

/// <summary>
/// English plural to singular for lower-case words, by rule with short exception lists: "batteries" →
/// "battery", "shoes" → "shoe", "boxes" → "box", "knives" → "knife"; "glass", "series", "news", "jeans"
/// stay as they are. Meant for product nouns, not for every English word.
/// </summary>
internal static class Singular
{
    /// <summary>Longer words are not terms; they are never looked up or changed.</summary>
    public const int MaxWordLength = 24;

    // Words ending in s that are singular, or plurals used as the name of one thing.
    private static readonly FrozenSet<string> Invariant = FrozenSet.ToFrozenSet(Split("""
        news series species means jeans pants trousers shorts glasses sunglasses scissors goggles pajamas pyjamas
        tights leggings clothes headquarters thanks goods kudos chaos ios macos lens gas canvas atlas bias alias
        christmas xmas texas vegas airpods electronics ergonomics acoustics aesthetics logistics analytics physics
        economics politics mathematics optics diabetes yes its this his has was
        """), StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> InvariantBySpan =
        Invariant.GetAlternateLookup<ReadOnlySpan<char>>();

    // Nouns ending in -ie, whose plural is -ies but whose singular is not -y.
    private static readonly FrozenSet<string> IeNouns = FrozenSet.ToFrozenSet(Split("""
        movie cookie hoodie selfie smoothie brownie zombie calorie veggie goodie freebie rookie beanie onesie auntie
        sweetie bootie newbie foodie techie lingerie prairie budgie birdie collie hippie genie pixie indie cutie
        junkie boogie kiddie wheelie scrunchie sharpie oldie baddie hottie bestie
        """), StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> IeNounsBySpan =
        IeNouns.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<string, string> Irregular = Pairs("""
        men man women woman children child feet foot teeth tooth mice mouse geese goose knives knife lives life
        wives wife shelves shelf leaves leaf halves half loaves loaf thieves thief calves calf wolves wolf
        scarves scarf selves self buses bus lenses lens gases gas biases bias aliases alias bonuses bonus
        viruses virus statuses status campuses campus canvases canvas choruses chorus potatoes potato
        tomatoes tomato heroes hero echoes echo mosquitoes mosquito volcanoes volcano tornadoes tornado
        torpedoes torpedo dominoes domino mangoes mango vetoes veto aches ache headaches headache caches cache
        niches niche quiches quiche cliches cliche mustaches mustache moustaches moustache avalanches avalanche
        quizzes quiz criteria criterion
        """);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> IrregularBySpan =
        Irregular.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Writes the singular of a lower-case word into destination (at least two characters longer than
    /// the word) and returns its length.
    /// </summary>
    public static int Write(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (word.Length <= MaxWordLength && IrregularBySpan.TryGetValue(word, out var irregular))
            return Copy(irregular, destination);
        if (word.Length < 3 || word[^1] != 's' || word.Length > MaxWordLength || InvariantBySpan.Contains(word)
            || word.EndsWith("ss") || word.EndsWith("us") || word.EndsWith("is"))
            return Copy(word, destination);

        if (word.EndsWith("ies"))
        {
            // "ties", "pies"; "movies" → "movie"; "batteries" → "battery".
            if (word.Length <= 4 || IeNounsBySpan.Contains(word[..^1])) return Copy(word[..^1], destination);
            var length = Copy(word[..^3], destination);
            destination[length] = 'y';
            return length + 1;
        }
        if (word.EndsWith("sses") || word.EndsWith("ches") || word.EndsWith("shes") || word.EndsWith("xes")
            || word.EndsWith("zzes"))
            return Copy(word[..^2], destination);
        return Copy(word[..^1], destination);
    }

    private static int Copy(ReadOnlySpan<char> word, Span<char> destination)
    {
        word.CopyTo(destination);
        return word.Length;
    }

    private static string[] Split(string list) =>
        list.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static FrozenDictionary<string, string> Pairs(string list)
    {
        var words = Split(list);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < words.Length; i += 2)
            pairs[words[i]] = words[i + 1];
        return pairs.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
