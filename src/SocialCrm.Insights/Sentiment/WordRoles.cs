namespace SocialCrm.Insights;

/// <summary>
/// The closed-class words the rules look for: negators, intensifiers and dampeners, contrast words.
/// Written by the team from English usage; the values follow Hutto &amp; Gilbert (2014): a modifier moves
/// the next sentiment word by about 0.293 on the -4..4 scale, a negation scales it by -0.74.
/// </summary>
internal static class WordRoles
{
    public const double Boost = 0.293;
    public const double Dampen = -0.293;
    public const double NegationScalar = -0.74;
    /// <summary>What ALL-CAPS adds to a word's magnitude when the rest of the message is not shouted.</summary>
    public const double CapsEmphasis = 0.733;

    private static readonly string[] Negators =
    [
        "not", "no", "never", "nothing", "nobody", "none", "nowhere", "neither", "nor", "zero",
        "without", "cannot", "least", "rarely", "seldom", "hardly", "barely", "scarcely", "despite",
        // Contractions written without their apostrophe; any word ending in n't is a negator too.
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wont",
        "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "mustnt", "neednt", "mightnt", "shant",
    ];

    private static readonly string[] Intensifiers =
    [
        "absolutely", "amazingly", "awfully", "completely", "considerably", "crazy", "damn", "decidedly",
        "deeply", "effing", "enormously", "entirely", "especially", "exceptionally", "extra", "extremely",
        "fabulously", "flipping", "freaking", "freakin", "fricking", "frickin", "frigging", "friggin",
        "fucking", "fuckin", "fully", "greatly", "hella", "highly", "hugely", "incredibly", "insanely",
        "intensely", "majorly", "mega", "more", "most", "particularly", "pretty", "purely", "quite",
        "real", "really", "remarkably", "ridiculously", "so", "soo", "substantially", "super", "terribly",
        "thoroughly", "too", "totally", "tremendously", "truly", "uber", "unbelievably", "unusually",
        "utterly", "very", "wildly",
    ];

    private static readonly string[] Dampeners =
    [
        "almost", "fairly", "kinda", "kindof", "less", "marginally", "mildly", "moderately", "occasionally",
        "partly", "relatively", "slightly", "somewhat", "sorta", "sortof", "reasonably",
    ];

    private static readonly string[] ContrastWords = ["but", "however"];

    /// <summary>Words before "like" that make it the verb of liking rather than "such as" or "similar to".</summary>
    private static readonly string[] LikeVerbContext =
    [
        "i", "we", "you", "they", "u", "ya", "y'all", "yall", "people", "everyone", "really", "also", "just",
        "totally", "definitely", "actually", "honestly", "genuinely", "still", "do", "did", "does", "so",
        "kinda", "both", "all", "don't", "didn't", "doesn't", "dont", "didnt", "doesnt", "to",
    ];

    private static readonly HashSet<string> LikeContext = new(LikeVerbContext, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> LikeContextLookup =
        LikeContext.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every closed-class word with its role; the lexicon merges them with the valences.</summary>
    public static IEnumerable<(string Word, TokenRole Role, double Scalar)> All()
    {
        foreach (var word in Intensifiers)
            yield return (word, TokenRole.Modifier, Boost);
        foreach (var word in Dampeners)
            yield return (word, TokenRole.Modifier, Dampen);
        foreach (var word in Negators)
            yield return (word, TokenRole.Negator, 0);
        foreach (var word in ContrastWords)
            yield return (word, TokenRole.Contrast, 0);
    }

    public static bool MakesLikeAVerb(ReadOnlySpan<char> previousWord) => LikeContextLookup.Contains(previousWord);

    /// <summary>"can't", "couldn't", "cannot", "could not": the negations of "couldn't be happier", "can't thank you enough".</summary>
    public static bool IsModalNegation(ReadOnlySpan<char> word, ReadOnlySpan<char> previous) =>
        word.Equals("can't", StringComparison.OrdinalIgnoreCase) || word.Equals("cant", StringComparison.OrdinalIgnoreCase)
        || word.Equals("couldn't", StringComparison.OrdinalIgnoreCase) || word.Equals("couldnt", StringComparison.OrdinalIgnoreCase)
        || word.Equals("cannot", StringComparison.OrdinalIgnoreCase)
        || (word.Equals("not", StringComparison.OrdinalIgnoreCase)
            && (previous.Equals("could", StringComparison.OrdinalIgnoreCase) || previous.Equals("can", StringComparison.OrdinalIgnoreCase)));

    /// <summary>"happier", "better", "worse": a comparative, which a modal negation makes a superlative.</summary>
    public static bool IsComparative(ReadOnlySpan<char> word) =>
        word.Length > 4 && word.EndsWith("er", StringComparison.OrdinalIgnoreCase) || word.Equals("worse", StringComparison.OrdinalIgnoreCase);

    public static bool Is(ReadOnlySpan<char> word, string other) => word.Equals(other, StringComparison.OrdinalIgnoreCase);

    public static bool IsNever(ReadOnlySpan<char> word) => word.Equals("never", StringComparison.OrdinalIgnoreCase);

    /// <summary>"never so good", "never this happy": the negation reinforces instead of flipping.</summary>
    public static bool IsDegreeWord(ReadOnlySpan<char> word) =>
        word.Equals("so", StringComparison.OrdinalIgnoreCase) || word.Equals("this", StringComparison.OrdinalIgnoreCase);
}
