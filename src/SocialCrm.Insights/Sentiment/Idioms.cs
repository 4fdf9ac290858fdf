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
        foreach (var (text, value) in Modifiers)
            yield return new Phrase(text.Split(' '), value, PhraseKind.Modifier);
        foreach (var text in Neutral)
            yield return new Phrase(text.Split(' '), 0, PhraseKind.Neutral);
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
        ("sick of", -2.3), ("sick and tired", -2.8), ("thanks for nothing", -2.5), ("never again", -2.0),
        ("well done", 2.3), ("can't wait", 2.2), ("cant wait", 2.2), ("cannot wait", 2.2),
        ("looking forward", 1.8), ("look forward", 1.8), ("out of stock", -1.0), ("out of order", -1.2),
        ("do better", -1.5), ("not a fan", -1.5), ("no thanks", -1.0),
        ("could be better", -1.2), ("could have been better", -1.2), ("could've been better", -1.2),
        ("should be better", -1.2), ("expected better", -1.5), ("expected more", -1.2),
        ("a joke", -1.5), ("what a joke", -2.0), ("such a joke", -2.0),
        ("worth it", 1.8), ("worth the money", 1.8), ("worth the price", 1.8), ("worth the wait", 1.8),
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
    ];
}
