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
        if (humanAgentTag && !HumanAgentTagExists(platform))
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

    /// <summary>Whether the platform knows the human-agent tag (Messenger and Instagram).</summary>
    public static bool HumanAgentTagExists(Platform platform) => platform is Platform.Messenger or Platform.Instagram;

    /// <summary>Whether replies in such a thread are bound by a window at all.</summary>
    public static bool Applies(Platform platform, Visibility visibility) =>
        visibility == Visibility.Private && platform is Platform.Messenger or Platform.Instagram or Platform.WhatsApp;
}
