namespace SocialCrm.Abstractions.Conversations;

/// <summary>What the brand may send a message for: service or marketing; profiling and public display are never a message's purpose.</summary>
public static class OutboundPurpose
{
    public const string Refusal = "must be service or marketing.";

    public static bool Allows(Purpose purpose) => purpose is Purpose.Service or Purpose.Marketing;
}
