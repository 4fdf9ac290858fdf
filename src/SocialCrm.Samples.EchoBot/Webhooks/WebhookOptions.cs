namespace SocialCrm.Samples.EchoBot.Webhooks;

/// <summary>The <c>Webhook</c> configuration section: the shared secret and the replay window.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>The secret the webhook was registered with; it signs every delivery.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Deliveries sent longer ago than this are refused: a captured one cannot be replayed later.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of our clock a <c>sentAt</c> may be; beyond it the delivery is refused.</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many handled delivery ids are remembered to drop retries and replays.</summary>
    public int RememberedDeliveries { get; set; } = 10_000;
}
