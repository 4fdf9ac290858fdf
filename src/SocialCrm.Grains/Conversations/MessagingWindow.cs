namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The platforms' rules for free-form replies in a private thread, counted from the customer's last
/// message: Messenger and Instagram 24 hours (7 days with the human-agent tag, for human agents
/// only), WhatsApp 24 hours, X and web chat no limit. Public threads have no window.
/// </summary>
public static class MessagingWindow
{
    public static readonly TimeSpan Standard = TimeSpan.FromHours(24);
    public static readonly TimeSpan HumanAgent = TimeSpan.FromDays(7);

    /// <summary>When the standard window closes, or null where the platform has none.</summary>
    public static DateTimeOffset? ClosesAt(Platform platform, Visibility visibility, DateTimeOffset? customerWroteAt) =>
        Applies(platform, visibility) && customerWroteAt is { } at ? at + Standard : null;

    public static Refusal? Check(Platform platform, Visibility visibility, DateTimeOffset? customerWroteAt, AuthorType author,
        bool humanAgentTag, DateTimeOffset now)
    {
        if (humanAgentTag && author != AuthorType.Agent)
            return Refusal.Invalid("humanAgentTag", "The human-agent tag is for human agents only, never bots.");
        if (humanAgentTag && platform is not (Platform.Messenger or Platform.Instagram))
            return Refusal.Invalid("humanAgentTag", "The human-agent tag exists on Messenger and Instagram only.");
        if (!Applies(platform, visibility)) return null;
        if (customerWroteAt is not { } at)
            return new Refusal(RefusalKind.MessagingWindowClosed, "The customer has not written in this conversation yet.");
        var window = humanAgentTag ? HumanAgent : Standard;
        return now <= at + window
            ? null
            : new Refusal(RefusalKind.MessagingWindowClosed,
                $"The platform's reply window closed at {at + window:O}, {(humanAgentTag ? "7 days" : "24 hours")} after the customer's last message.");
    }

    private static bool Applies(Platform platform, Visibility visibility) =>
        visibility == Visibility.Private && platform is Platform.Messenger or Platform.Instagram or Platform.WhatsApp;
}
