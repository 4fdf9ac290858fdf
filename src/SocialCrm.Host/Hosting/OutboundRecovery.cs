using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// The outbox sweep: replies are sent from the durable log, so after a crash the messages still
/// pending are found here and their conversations woken to send them. Every node sweeps; a
/// conversation has one activation in the cluster, so a reply is never sent twice at once.
/// </summary>
public sealed class OutboundRecovery(MessageLog log, IGrainFactory grains, TimeProvider clock, IConfiguration configuration,
    ILogger<OutboundRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("Outbound:SweepIntervalMs", 15_000));
        var settle = TimeSpan.FromMilliseconds(configuration.GetValue("Outbound:SweepAfterMs", 5_000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                // Only messages older than a few seconds: younger ones are still in their conversation's hands.
                var before = (clock.GetUtcNow() - settle).ToUnixTimeMilliseconds();
                foreach (var (brandId, conversationId) in await log.ConversationsWithPendingAsync(before, 500, stoppingToken))
                {
                    BrandContext.Set(brandId);
                    await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId)).ResumeOutbound();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The outbound sweep failed; it runs again shortly.");
            }
        }
    }
}
