using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Grains.Recovery;

/// <summary>
/// A node's periodic sweep over an outbox in the database: every interval it finds the work still
/// owed (after a restart, or a timer lost with a node) and wakes the grain that owns it. A failed
/// round is logged and the next one comes all the same.
/// </summary>
public abstract class Sweep(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    protected abstract Task SweepOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, Clock, stoppingToken);
                await SweepOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "{Sweep} failed; it runs again shortly.", GetType().Name);
            }
        }
    }
}
