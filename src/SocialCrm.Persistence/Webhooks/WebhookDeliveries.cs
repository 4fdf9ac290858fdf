using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Webhooks;

/// <summary>
/// Webhook deliveries made ready by <see cref="WebhookStore.Enqueue"/> but not written: a unit of work
/// another write takes into its own transaction (the message log's), so an event that is stored always
/// has its deliveries and one that is not never has them.
/// </summary>
public sealed class WebhookDeliveries
{
    public static readonly WebhookDeliveries None = new([], []);

    internal WebhookDeliveries(IReadOnlyList<SqlStatement> statements, IReadOnlyList<string> webhookIds)
    {
        Statements = statements;
        WebhookIds = webhookIds;
    }

    internal IReadOnlyList<SqlStatement> Statements { get; }

    /// <summary>The webhooks that get a delivery: to kick once it is committed.</summary>
    public IReadOnlyList<string> WebhookIds { get; }
}
