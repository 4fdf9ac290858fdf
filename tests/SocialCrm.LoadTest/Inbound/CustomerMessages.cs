namespace SocialCrm.LoadTest.Inbound;

/// <summary>What the <c>inbound</c> mode sends as each message's text (<c>--texts</c>).</summary>
public enum InboundTexts
{
    /// <summary>One order question repeated to <c>--text-length</c>: the same text every time, as the core's benchmark has always sent.</summary>
    Filler,

    /// <summary>Varied English customer messages (<see cref="CustomerMessages"/>), so the insights analyzer reads what it would read in production.</summary>
    Customer,
}

/// <summary>
/// Twenty customer messages of the kinds a brand receives (praise, complaints, questions, an unusual
/// use, mixed verdicts) naming the products and their parts, so the analyzer scores clauses and finds
/// terms as it would in production. The load picks them by index, so every run sends the same mix.
/// </summary>
public static class CustomerMessages
{
    public static readonly IReadOnlyList<string> All =
    [
        "Love the new blender, the motor is powerful and the jug is so easy to clean!",
        "My order still hasn't arrived and the tracking number doesn't work. Really disappointed.",
        "The battery life on this phone is amazing, it lasts me two full days.",
        "Terrible customer service, I've been waiting a week for my refund and nobody answers.",
        "Hi, do you ship to Canada? And how long does delivery usually take?",
        "The screen cracked after one drop and the case is useless.",
        "Great headphones, the sound quality is excellent but the ear cushions get uncomfortable after an hour.",
        "I use the coffee grinder as a spice mill and it works perfectly.",
        "The jacket fits well and the zipper feels sturdy. Very happy with it!",
        "Why was I charged twice for the same subscription? Please fix this asap.",
        "The packaging was damaged and two of the glasses were broken inside.",
        "Fast shipping, friendly support and a fair price. Thanks a lot!",
        "The app keeps crashing when I try to log in, so frustrating.",
        "Can I change the delivery address on my order before it ships?",
        "The vacuum is quiet and the suction is strong, best purchase this year.",
        "Worst experience ever: the charger stopped working after two days and the replacement never came.",
        "The mattress is comfortable but the smell was awful for the first week.",
        "My kids use the storage boxes as a toy chest, we love them.",
        "The coffee machine leaks water all over the counter. I want a replacement or my money back.",
        "Thank you for the quick reply, the new kettle arrived today and works great.",
    ];
}
