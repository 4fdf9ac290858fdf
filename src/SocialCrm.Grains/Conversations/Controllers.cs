namespace SocialCrm.Grains.Conversations;

/// <summary>Who controls a conversation: the human inbox, or a bot named <c>bot:{id}</c>.</summary>
public static class Controllers
{
    public const string Human = "human";

    public static string Bot(string botId) => "bot:" + botId;
}
