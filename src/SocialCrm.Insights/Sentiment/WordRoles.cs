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

    private static readonly string[] ConcessionWords = ["although", "though", "tho", "altho"];

    /// <summary>Words before "like" that make it the verb of liking rather than "such as" or "similar to".</summary>
    private static readonly string[] LikeVerbContext =
    [
        "i", "we", "you", "they", "u", "ya", "y'all", "yall", "people", "everyone", "really", "also", "just",
        "totally", "definitely", "actually", "honestly", "genuinely", "still", "do", "did", "does", "so",
        "kinda", "both", "all", "don't", "didn't", "doesn't", "dont", "didnt", "doesnt", "to",
    ];

    /// <summary>Laughter: mirth in praise, mockery in a complaint (see <c>Scoring</c>).</summary>
    private static readonly string[] LaughterWords =
    [
        "lol", "lolol", "lool", "loool", "lmao", "lmfao", "rofl", "roflmao", "haha", "hahaha", "hahahaha",
        "hehe", "hehehe", "xd", "\U0001F602", "\U0001F923",
    ];

    /// <summary>
    /// Words that open a question asking for information or a favour: "Which model…?", "Can you…?".
    /// "why" and "how come" are left out: they mostly ask for an account of something gone wrong.
    /// </summary>
    private static readonly string[] QuestionOpeners =
    [
        "what", "what's", "whats", "which", "where", "where's", "when", "when's", "who", "whom", "whose",
        "how", "can", "could", "do", "does", "did", "is", "are", "was", "were", "will", "would", "should",
        "shall", "may", "might", "have", "has", "any", "anyone", "anybody", "wen",
    ];

    /// <summary>Modifiers that, before a plain word, say there is too much or too little of it: "too long", "a bit pricey".</summary>
    private static readonly string[] ExcessWords = ["too", "bit", "tad", "slightly", "somewhat"];

    /// <summary>Words that are not qualities: "too" before them means "also", "a bit" before them is a quantity.</summary>
    private static readonly string[] FunctionWords =
    [
        "the", "a", "an", "and", "or", "nor", "of", "for", "to", "in", "on", "at", "with", "by", "from", "as", "than",
        "then", "so", "if", "when", "my", "your", "our", "their", "his", "her", "its", "it", "this", "that", "these",
        "those", "i", "me", "we", "us", "you", "they", "them", "he", "she", "him", "is", "are", "was", "were", "be",
        "been", "am", "being", "have", "has", "had", "do", "does", "did", "will", "would", "can", "could", "should",
        "there", "here", "up", "out", "off", "about", "into", "over", "after", "before", "just", "also", "all", "any",
        "some", "one", "two", "three", "again", "now", "yet", "still", "though", "lol",
    ];

    /// <summary>Words ending in -er that are not comparatives.</summary>
    private static readonly string[] NotComparatives =
    [
        "another", "other", "either", "neither", "whether", "never", "ever", "over", "under", "after", "together",
        "rather", "however", "whatever", "whenever", "forever", "later", "number", "order", "answer", "customer",
    ];

    /// <summary>Words of lacking or losing, which negate the good thing they name: "lacks charm", "lost its appeal".</summary>
    private static readonly string[] PrivativeWords =
    [
        "lack", "lacks", "lacked", "lacking", "devoid", "lose", "loses", "losing", "lost", "missing",
    ];

    /// <summary>What may stand between a word of lacking and what is lacked: "devoid of any wit", "lost all its charm".</summary>
    private static readonly string[] DeterminerWords =
    [
        "the", "a", "an", "any", "all", "of", "its", "it's", "my", "your", "our", "their", "his", "her", "some",
        "much", "that", "this", "every",
    ];

    /// <summary>"my", "your", …: before a word after a negated verb, they mark the word as the verb's object.</summary>
    private static readonly string[] PossessiveWords = ["my", "your", "our", "their", "his", "her", "its"];

    private static readonly HashSet<string> Privative = new(PrivativeWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PrivativeLookup = Privative.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Determiner = new(DeterminerWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> DeterminerLookup = Determiner.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Excess = new(ExcessWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ExcessLookup = Excess.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Function = new(FunctionWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FunctionLookup = Function.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> NonComparative = new(NotComparatives, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NonComparativeLookup = NonComparative.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Laughter = new(LaughterWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> LaughterLookup = Laughter.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Openers = new(QuestionOpeners, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> OpenersLookup = Openers.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string> Possessives = new(PossessiveWords, StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PossessivesLookup = Possessives.GetAlternateLookup<ReadOnlySpan<char>>();

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
        foreach (var word in ConcessionWords)
            yield return (word, TokenRole.Concession, 0);
    }

    /// <summary>"lol", "lmao", "haha", 😂, and their stretched forms ("hahahaha", "lolll").</summary>
    public static bool IsLaughter(ReadOnlySpan<char> word)
    {
        if (LaughterLookup.Contains(word))
            return true;
        Span<char> buffer = stackalloc char[Elongation.MaxLength];
        if (Elongation.TryCollapse(word, buffer, 1, out var once) && LaughterLookup.Contains(once))
            return true;
        // "hahahahaha", "ahahah": any run of "ha" of three or more.
        if (word.Length < 5)
            return false;
        foreach (var c in word)
        {
            if (c is not ('h' or 'a' or 'H' or 'A'))
                return false;
        }
        return true;
    }

    /// <summary>"would", "could", "should", "might": with "have" and a participle, a past that did not happen.</summary>
    public static bool IsCounterfactualModal(ReadOnlySpan<char> word) =>
        Is(word, "would") || Is(word, "could") || Is(word, "should") || Is(word, "might")
        || (word.Length > 2 && word.EndsWith("'d", StringComparison.OrdinalIgnoreCase));

    /// <summary>"would've", "could've", "should've", "wouldve": the modal and "have" in one word.</summary>
    public static bool IsCounterfactualModalWithHave(ReadOnlySpan<char> word) =>
        Is(word, "would've") || Is(word, "could've") || Is(word, "should've") || Is(word, "might've")
        || Is(word, "wouldve") || Is(word, "couldve") || Is(word, "shouldve");

    /// <summary>"been", "loved", "given", "done", "got": a past participle, roughly, by its ending.</summary>
    public static bool IsPastParticiple(ReadOnlySpan<char> word) =>
        Is(word, "been") || Is(word, "got") || Is(word, "bought") || Is(word, "made") || Is(word, "had") || Is(word, "paid")
        || (word.Length > 3 && (word.EndsWith("ed", StringComparison.OrdinalIgnoreCase) || word.EndsWith("en", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith("ne", StringComparison.OrdinalIgnoreCase) || word.EndsWith("wn", StringComparison.OrdinalIgnoreCase)));

    /// <summary>"it", "they", "there", "this", …: after "wish", the subject of a clause about how things are.</summary>
    public static bool IsWishClauseSubject(ReadOnlySpan<char> word) =>
        Is(word, "it") || Is(word, "they") || Is(word, "there") || Is(word, "this") || Is(word, "that") || Is(word, "the")
        || Is(word, "it'd") || Is(word, "they'd") || Is(word, "it's") || Is(word, "they're") || Is(word, "there's")
        || Is(word, "itd") || Is(word, "theyd") || Is(word, "u");

    /// <summary>"would", "could", "had", "were", "did", …: after "wish you", a clause rather than a greeting.</summary>
    public static bool IsAuxiliary(ReadOnlySpan<char> word) =>
        Is(word, "would") || Is(word, "could") || Is(word, "had") || Is(word, "were") || Is(word, "was") || Is(word, "did")
        || Is(word, "guys") || Is(word, "offered") || Is(word, "made") || Is(word, "sold") || Is(word, "still");

    /// <summary>"better", "worse", "happier", "greater": comparatives of a sentiment (not "danger", "anger", "winner").</summary>
    public static bool IsSentimentComparative(ReadOnlySpan<char> word) =>
        Is(word, "better") || Is(word, "worse") || Is(word, "greater") || Is(word, "nicer") || Is(word, "finer")
        || Is(word, "cooler") || Is(word, "sweeter") || Is(word, "smarter") || Is(word, "kinder") || Is(word, "safer")
        || (word.Length > 5 && word.EndsWith("ier", StringComparison.OrdinalIgnoreCase));

    /// <summary>"this", "that", "these", "those", "it": "doesn't get better than this".</summary>
    public static bool IsDemonstrative(ReadOnlySpan<char> word) =>
        Is(word, "this") || Is(word, "that") || Is(word, "these") || Is(word, "those") || Is(word, "it");

    /// <summary>"Nothing.", "Again.", "Twice.", "Still.": one-word sentences that report a failure repeated or unanswered.</summary>
    public static bool IsExasperatedFragment(ReadOnlySpan<char> word) =>
        Is(word, "nothing") || Is(word, "again") || Is(word, "twice") || Is(word, "still") || Is(word, "nada") || Is(word, "crickets");

    /// <summary>"love", "loved", "love", "luv", "adore", "enjoy": liking, which irony turns on a complaint.</summary>
    public static bool IsLove(ReadOnlySpan<char> word) =>
        Is(word, "love") || Is(word, "loved") || Is(word, "loves") || Is(word, "luv") || Is(word, "adore") || Is(word, "enjoy");

    /// <summary>"am", "is", "get", "got", "'m", …: before "used to", being accustomed rather than a past habit.</summary>
    public static bool IsAccustomedVerb(ReadOnlySpan<char> word) =>
        Is(word, "am") || Is(word, "is") || Is(word, "are") || Is(word, "was") || Is(word, "were") || Is(word, "be") || Is(word, "been")
        || Is(word, "get") || Is(word, "got") || Is(word, "getting") || Is(word, "gets") || Is(word, "i'm") || Is(word, "im")
        || Is(word, "you're") || Is(word, "we're") || Is(word, "they're") || Is(word, "it's") || Is(word, "not");

    /// <summary>"hoped", "expected", "was hoping", "were expecting": a hope told in the past, which was not met.</summary>
    public static bool IsPastExpectation(ReadOnlySpan<char> word, ReadOnlySpan<char> previous) =>
        ((Is(word, "hoped") || Is(word, "expected")) && !Is(previous, "than") && !Is(previous, "as"))
        || ((Is(word, "hoping") || Is(word, "expecting")) && (Is(previous, "was") || Is(previous, "were")));

    public static bool IsPrivative(ReadOnlySpan<char> word) => PrivativeLookup.Contains(word);

    public static bool IsDeterminer(ReadOnlySpan<char> word) => DeterminerLookup.Contains(word);

    public static bool IsExcess(ReadOnlySpan<char> word) => ExcessLookup.Contains(word);

    public static bool IsFunctionWord(ReadOnlySpan<char> word) => FunctionLookup.Contains(word);

    /// <summary>"could", "should", "could've", "should've": before "be", a wish that something were different.</summary>
    public static bool IsWishModal(ReadOnlySpan<char> word) =>
        word.Equals("could", StringComparison.OrdinalIgnoreCase) || word.Equals("should", StringComparison.OrdinalIgnoreCase)
        || word.Equals("could've", StringComparison.OrdinalIgnoreCase) || word.Equals("should've", StringComparison.OrdinalIgnoreCase);

    /// <summary>"cleaner", "quicker", "cheaper": a comparative of a quality, as a wish's object.</summary>
    public static bool IsQualityComparative(ReadOnlySpan<char> word) =>
        word.Length > 5 && word.EndsWith("er", StringComparison.OrdinalIgnoreCase) && !NonComparativeLookup.Contains(word);

    public static bool IsPlease(ReadOnlySpan<char> word) =>
        word.Equals("please", StringComparison.OrdinalIgnoreCase) || word.Equals("pls", StringComparison.OrdinalIgnoreCase)
        || word.Equals("plz", StringComparison.OrdinalIgnoreCase);

    public static bool IsQuestionOpener(ReadOnlySpan<char> word) => OpenersLookup.Contains(word);

    public static bool IsPossessive(ReadOnlySpan<char> word) => PossessivesLookup.Contains(word);

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
