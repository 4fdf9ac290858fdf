using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Recovery;

/// <summary>
/// The outbound sweep: replies are sent from the durable log, so after a crash the messages still
/// pending are found here and their conversations woken to send them. Every node sweeps; a
/// conversation has one activation in the cluster, so a reply is never sent twice at once.
/// </summary>
public sealed class OutboundRecovery(MessageLog log, IGrainFactory grains, TimeProvider clock, IConfiguration configuration,
    ILogger<OutboundRecovery> logger) : Sweep(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(configuration.GetValue("Outbound:SweepIntervalMs", 15_000));

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        // Only messages older than a few seconds: younger ones are still in their conversation's hands.
        var settle = TimeSpan.FromMilliseconds(configuration.GetValue("Outbound:SweepAfterMs", 5_000));
        var before = (Clock.GetUtcNow() - settle).ToUnixTimeMilliseconds();
        foreach (var (brandId, conversationId) in await log.ConversationsWithPendingAsync(before, 500, cancellationToken))
        {
            BrandContext.Set(brandId);
            await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId)).ResumeOutbound();
        }
    }
}
