using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// The webhook outbox sweep: deliveries that are due (after a restart, or whose retry timer was lost
/// with a node) wake their webhook's grain. The grain has one activation in the cluster, so two
/// nodes sweeping never send a delivery twice at once.
/// </summary>
public sealed class WebhookRecovery(WebhookStore store, IGrainFactory grains, TimeProvider clock, IConfiguration configuration,
    ILogger<WebhookRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("Webhooks:SweepIntervalMs", 5_000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                foreach (var (brandId, webhookId) in await store.DueWebhooksAsync(500, stoppingToken))
                {
                    BrandContext.Set(brandId);
                    await grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, webhookId)).Kick();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The webhook sweep failed; it runs again shortly.");
            }
        }
    }
}
