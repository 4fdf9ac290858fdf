using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Recovery;

/// <summary>
/// The webhook outbox sweep: deliveries that are due wake their webhook's grain. The grain has one
/// activation in the cluster, so two nodes sweeping never send a delivery twice at once.
/// </summary>
public sealed class WebhookRecovery(WebhookStore store, IGrainFactory grains, TimeProvider clock, IConfiguration configuration,
    ILogger<WebhookRecovery> logger) : Sweep(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(configuration.GetValue("Webhooks:SweepIntervalMs", 5_000));

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var (brandId, webhookId) in await store.DueWebhooksAsync(500, cancellationToken))
        {
            BrandContext.Set(brandId);
            await grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, webhookId)).Kick();
        }
    }
}
