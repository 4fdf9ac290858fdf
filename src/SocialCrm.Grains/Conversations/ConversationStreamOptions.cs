namespace SocialCrm.Grains.Conversations;

/// <summary>Whether conversations publish their events on Orleans streams (configuration section <c>Streams</c>).</summary>
public sealed class ConversationStreamOptions
{
    public const string Section = "Streams";

    /// <summary>Off by default: memory streams cost CPU on every message even with no subscriber.</summary>
    public bool Enabled { get; set; }
}
