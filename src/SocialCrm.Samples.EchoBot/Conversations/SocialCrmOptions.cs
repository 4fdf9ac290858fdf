namespace SocialCrm.Samples.EchoBot.Conversations;

/// <summary>The <c>SocialCrm</c> configuration section: where the API is and the bot's key for it.</summary>
public sealed class SocialCrmOptions
{
    public const string Section = "SocialCrm";

    public string BaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>A key with role <c>bot</c>; its name is the bot's id.</summary>
    public string BotKey { get; set; } = "";

    /// <summary>
    /// The budget for all API calls of one delivery. Kept below the service's delivery timeout, so
    /// that a slow API ends in our 5xx (and a retry) rather than in the service giving up on us.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
