using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Automation;

namespace SocialCrm.Grains.Recovery;

/// <summary>
/// The automation sweep: wakes conversations holding runs a crash left pending, and those whose "no
/// agent reply" time has come (the due time is in the database, so the timer survives restarts).
/// </summary>
public sealed class AutomationRecovery(AutomationStore store, IGrainFactory grains, TimeProvider clock, IConfiguration configuration,
    ILogger<AutomationRecovery> logger) : Sweep(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(configuration.GetValue("Automation:SweepIntervalMs", 15_000));

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        // Only runs older than a few seconds: younger ones are still in their conversation's hands.
        var settle = TimeSpan.FromMilliseconds(configuration.GetValue("Automation:SweepAfterMs", 5_000));
        foreach (var (brandId, conversationId) in await store.ConversationsWithPendingAsync((now - settle).ToUnixTimeMilliseconds(), 500, cancellationToken))
        {
            BrandContext.Set(brandId);
            await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId)).ResumeAutomation();
        }
        foreach (var (brandId, conversationId) in await store.ConversationsDueForSlaAsync(now.ToUnixTimeMilliseconds(), 500, cancellationToken))
        {
            BrandContext.Set(brandId);
            await grains.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId)).CheckNoAgentReply();
        }
    }
}
