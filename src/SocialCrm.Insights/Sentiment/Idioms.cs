namespace SocialCrm.Insights;

/// <summary>
/// Phrases whose meaning is not the sum of their words: idioms and slang with a valence of their own,
/// multi-word modifiers, and phrases that must not be read word by word. Written by the team; a
/// negation or modifier before a phrase still applies ("doesn't cut the mustard").
/// </summary>
internal static class Idioms
{
    public static IEnumerable<Phrase> All()
    {
        foreach (var (text, value) in Valenced)
            yield return new Phrase(text.Split(' '), value, PhraseKind.Valence);
        foreach (var (text, value) in ServiceFailures)
            yield return new Phrase(text.Split(' '), value, PhraseKind.Valence);
        foreach (var (text, value) in Modifiers)
            yield return new Phrase(text.Split(' '), value, PhraseKind.Modifier);
        foreach (var text in Neutral)
            yield return new Phrase(text.Split(' '), 0, PhraseKind.Neutral);
        foreach (var text in Negators)
            yield return new Phrase(text.Split(' '), 0, PhraseKind.Negator);
    }

    private static readonly (string Text, double Value)[] Valenced =
    [
        ("the bomb", 3.0), ("da bomb", 3.0), ("the shit", 3.0), ("the goat", 3.0), ("bad ass", 1.5),
        ("kiss of death", -1.5), ("yeah right", -2.0), ("to die for", 3.0),
        ("cut the mustard", 2.0), ("cuts the mustard", 2.0), ("cutting the mustard", 2.0),
        ("hand to mouth", -2.0), ("back handed", -2.0), ("blow smoke", -2.0), ("blowing smoke", -2.0),
        ("upper hand", 1.0), ("break a leg", 2.0), ("cooking with gas", 2.0), ("in the black", 2.0),
        ("in the red", -2.0), ("on the ball", 2.0), ("under the weather", -2.0), ("over the moon", 3.0),
        ("broken heart", -2.9), ("top notch", 2.8), ("on point", 2.5), ("hit the spot", 2.5),
        ("hits the spot", 2.5), ("worth every penny", 3.0), ("waste of money", -2.5),
        ("waste of time", -2.5), ("rip off", -2.5), ("ripped off", -2.5), ("piece of junk", -2.8),
        ("let down", -2.0), ("let me down", -2.0), ("let us down", -2.0), ("fell apart", -2.0),
        ("falls apart", -2.0), ("falling apart", -2.0), ("no brainer", 2.0), ("killing it", 2.5),
        ("killed it", 2.5), ("kills it", 2.5), ("nailed it", 2.5), ("game changer", 2.5),
        ("thumbs up", 2.0), ("thumbs down", -2.0), ("five stars", 2.8), ("5 stars", 2.8),
        ("one star", -2.3), ("1 star", -2.3), ("zero stars", -2.8), ("0 stars", -2.8),
        ("sick of", -2.3), ("sick and tired", -2.8), ("thanks for nothing", -2.5), ("thank you for nothing", -2.5), ("thanks a lot for nothing", -2.5), ("never again", -2.0),
        ("well done", 2.3), ("can't wait", 2.2), ("cant wait", 2.2), ("cannot wait", 2.2),
        ("looking forward", 1.8), ("look forward", 1.8), ("out of stock", -1.0), ("out of order", -1.2),
        ("do better", -1.5), ("not a fan", -1.5), ("no thanks", -1.0),
        ("could be better", -1.2), ("could have been better", -1.2), ("could've been better", -1.2),
        ("could be worse", 0.8), ("could have been worse", 0.8), ("could've been worse", 0.8),
        ("should be better", -1.2), ("expected better", -1.5), ("expected more", -1.2),
        ("a joke", -1.5), ("what a joke", -2.0), ("such a joke", -2.0),
        ("worth it", 1.8), ("worth the money", 1.8), ("worth the price", 1.8), ("worth the wait", 1.8),
        // Reviews' plain approval: it works as it should.
        ("does the job", 1.5), ("do the job", 1.5), ("did the job", 1.5), ("does the trick", 1.5), ("did the trick", 1.5),
        ("gets the job done", 1.6), ("got the job done", 1.6), ("does what it says", 1.5), ("does exactly what it says", 1.8),
        ("grew on me", 1.5), ("grows on you", 1.5), ("long lasting", 1.5), ("all for nothing", -2.0),
    ];

    // Customer care: a service that failed, said without a sentiment word ("still waiting for a reply",
    // "order never arrived", "charged twice"). Mild values, so a review mentioning one is not swamped.
    private static readonly (string Text, double Value)[] ServiceFailures =
    [
        ("still waiting", -1.5), ("still nothing", -1.5), ("still no word", -1.5), ("still no reply", -1.5),
        ("still no response", -1.5), ("still no update", -1.5), ("still no refund", -1.8),
        ("never arrived", -1.8), ("never came", -1.5), ("never showed", -1.8), ("never showed up", -1.8),
        ("never turned up", -1.8), ("never received", -1.8), ("never delivered", -1.8), ("never got back", -1.5),
        ("never heard back", -1.5), ("never responded", -1.8), ("never replied", -1.8), ("never called", -1.5),
        ("never called back", -1.5), ("never loads", -1.5),
        ("no response", -1.5), ("no reply", -1.5), ("no answer", -1.2), ("no update", -1.2), ("no updates", -1.2),
        ("no callback", -1.5), ("no call back", -1.5), ("no explanation", -1.5), ("no notice", -1.2),
        ("without notice", -1.2), ("without any notice", -1.2), ("without warning", -1.2), ("without asking", -1.2),
        ("no refund", -1.5), ("without a refund", -1.5), ("where is my refund", -1.5), ("where's my refund", -1.5),
        ("want a refund", -1.5), ("want my refund", -1.5), ("want my money back", -2.0), ("need a refund", -1.2),
        ("demand a refund", -2.0),
        ("charged twice", -2.0), ("charged me twice", -2.0), ("double charged", -2.0), ("on hold", -1.2),
        ("hung up", -1.5), ("hung up on me", -2.0), ("lost luggage", -2.0), ("lost my luggage", -2.0),
        ("doesn't work", -1.8), ("don't work", -1.8), ("didn't work", -1.8), ("does not work", -1.8),
        ("do not work", -1.8), ("did not work", -1.8), ("won't work", -1.8), ("not working", -1.8),
        ("isn't working", -1.8), ("stopped working", -2.0), ("no longer works", -1.8),
        ("won't load", -1.5), ("doesn't load", -1.5), ("won't let me", -1.2), ("can't log in", -1.5),
        ("cant log in", -1.5), ("can't login", -1.5), ("out of sync", -1.2),
        ("took forever", -1.5), ("takes forever", -1.5), ("taking forever", -1.5), ("waited forever", -1.5),
        ("arrived late", -1.2), ("late again", -1.2), ("minutes late", -1.0), ("hour late", -1.3),
        ("hours late", -1.3), ("days late", -1.3), ("weeks late", -1.3),
        ("nowhere near", -1.2), ("not even close", -1.2),
        ("please fix", -1.0), ("fix your", -1.2), ("need to fix", -1.0),
        ("never buying", -2.0), ("never ordering", -2.0), ("never flying", -2.0), ("never using", -2.0),
        ("not buying again", -2.0), ("not ordering again", -2.0), ("won't be back", -2.0), ("not coming back", -1.8),
    ];

    private static readonly (string Text, double Value)[] Modifiers =
    [
        ("kind of", WordRoles.Dampen), ("sort of", WordRoles.Dampen), ("a bit", WordRoles.Dampen),
        ("a little", WordRoles.Dampen), ("a little bit", WordRoles.Dampen), ("a tad", WordRoles.Dampen),
        ("a wee bit", WordRoles.Dampen), ("just enough", WordRoles.Dampen),
        ("so much", WordRoles.Boost), ("way too", WordRoles.Boost), ("by far", WordRoles.Boost),
    ];

    // "support" and "help" are praise in a lexicon, but in messages to a brand they are mostly names
    // of a department; "no doubt" and "not only" do not negate what follows.
    private static readonly string[] Neutral =
    [
        "at least", "no doubt", "without doubt", "without a doubt", "not only", "not just",
        "customer support", "tech support", "technical support", "support team", "support ticket",
        "help desk", "help center", "help centre", "customer care", "customer service",
        "kind regards", "best regards", "bus stop",
        // Disbelief is amazement, not negation: "can't believe how good this is" is praise.
        "can't believe", "cant believe", "cannot believe", "can not believe", "couldn't believe", "couldnt believe",
        "could not believe",
        // Not stopping is keeping on: "can't stop smiling" is praise, "can't stop crying" a complaint.
        "can't stop", "cant stop", "cannot stop", "couldn't stop", "couldnt stop", "could not stop",
    ];

    // Phrases that negate what follows as "not" does: "far from perfect", "anything but good", "less than ideal".
    private static readonly string[] Negators =
    [
        "far from", "anything but", "less than",
    ];
}
