using System.Text.RegularExpressions;

namespace SocialCrm.Samples.EchoBot.Conversations;

/// <summary>What the bot says to one customer message, and whether it then hands the conversation to humans.</summary>
public sealed record BotReply(string Kind, string Text, bool HandsOver)
{
    public const string HandoverText = "Connecting you with a person now.";

    private static readonly Regex AsksForPerson = Faq.WholeWords("agent", "agents", "human", "humans");

    /// <summary>A request for a person wins over the FAQ; the echo is the fallback.</summary>
    public static BotReply To(string text)
    {
        if (AsksForPerson.IsMatch(text)) return new BotReply("handover", HandoverText, HandsOver: true);
        if (Faq.Match(text) is { } faq) return new BotReply("faq:" + faq.Topic, faq.Answer, HandsOver: false);
        return new BotReply("echo", "You said: " + text, HandsOver: false);
    }
}
