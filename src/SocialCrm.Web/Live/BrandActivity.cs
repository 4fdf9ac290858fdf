using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocialCrm.Grains.Conversations;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Web.Live;

/// <summary>Conversations that changed (a message, or a change of assignee, status or control), as one poll found them.</summary>
public sealed record ActivityBatch(IReadOnlyCollection<string> ConversationIds);

/// <summary>
/// What changed in a brand, for the open screens of this node. One poll loop per brand with an open
/// screen, shared by all of them, reads the brand's message log after the last entry it saw: the log
/// every node writes, so a message taken by any node shows on every screen, and nothing extra sits on
/// the message path. The brand's live event stream (<c>/events</c>) waits a second for late commits to
/// keep its resumable order; a screen only needs to know that something changed, so it does not wait.
/// </summary>
public sealed class BrandActivity(MessageLog log, TimeProvider clock, ILogger<BrandActivity> logger) : IAsyncDisposable
{
    private readonly MessageLog _log = log;
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;

    /// <summary>How often a watched brand's log is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private const int BatchSize = 500;
    private readonly ConcurrentDictionary<string, BrandWatch> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Calls <paramref name="onActivity"/> after each poll that found changes, until the subscription is disposed.</summary>
    public IDisposable Subscribe(string brandId, Func<ActivityBatch, Task> onActivity)
    {
        lock (_gate)
        {
            var watch = _watches.GetOrAdd(brandId, b => new BrandWatch(this, b));
            return watch.Add(onActivity);
        }
    }

    private void Unsubscribe(BrandWatch watch, Subscription subscription)
    {
        // Under the same lock as Subscribe, so a brand's loop never stops while a new screen joins it.
        lock (_gate)
        {
            if (!watch.Remove(subscription)) return;
            _watches.TryRemove(new KeyValuePair<string, BrandWatch>(watch.BrandId, watch));
            watch.Stop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var watch in _watches.Values) await watch.Stopped;
        _stopping.Dispose();
    }

    private sealed class BrandWatch
    {
        private readonly BrandActivity _owner;
        private readonly CancellationTokenSource _cancel;
        private readonly ConcurrentDictionary<Subscription, byte> _subscribers = new();

        public BrandWatch(BrandActivity owner, string brandId)
        {
            _owner = owner;
            BrandId = brandId;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(owner._stopping.Token);
            Stopped = Task.Run(PollAsync);
        }

        public string BrandId { get; }
        public Task Stopped { get; }

        public IDisposable Add(Func<ActivityBatch, Task> onActivity)
        {
            var subscription = new Subscription(this, onActivity);
            _subscribers.TryAdd(subscription, 0);
            return subscription;
        }

        /// <summary>Whether that was the last subscriber.</summary>
        public bool Remove(Subscription subscription)
        {
            _subscribers.TryRemove(subscription, out _);
            return _subscribers.IsEmpty;
        }

        public void Stop()
        {
            try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        public void Unsubscribe(Subscription subscription) => _owner.Unsubscribe(this, subscription);

        private async Task PollAsync()
        {
            var cursor = Bound(0);
            using var timer = new PeriodicTimer(PollInterval, _owner._clock);
            try
            {
                while (await timer.WaitForNextTickAsync(_cancel.Token))
                {
                    try
                    {
                        // A second ahead of this node's clock: another node's entries may carry ids a little ahead of ours.
                        var entries = await _owner._log.BrandEntriesBetweenAsync(BrandId, cursor, Bound(1000), BatchSize, _cancel.Token);
                        if (entries.Count == 0) continue;
                        cursor = entries[^1].Id;
                        var changed = entries.Where(e => e.EventType is null || ConversationEvents.TypeOf(e.EventType) is not null)
                            .Select(e => e.ConversationId).ToHashSet(StringComparer.Ordinal);
                        if (changed.Count == 0) continue;
                        var batch = new ActivityBatch(changed);
                        foreach (var subscriber in _subscribers.Keys) subscriber.Notify(batch);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The database may be briefly away; the screens keep what they show and the next poll tries again.
                        _owner._logger.LogWarning("Reading the brand's activity failed: {Error}", e.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _cancel.Dispose();
            }
        }

        private string Bound(long aheadMs) =>
            Ids.TimeOrderedBound(Ids.MessagePrefix, _owner._clock.GetUtcNow().ToUnixTimeMilliseconds() + aheadMs);
    }

    /// <summary>
    /// One open screen. It is told without being waited for, so a slow screen never holds up the brand's loop or
    /// the other screens; changes that arrive while it is still busy are gathered and told in one go after.
    /// </summary>
    private sealed class Subscription(BrandWatch watch, Func<ActivityBatch, Task> onActivity) : IDisposable
    {
        private readonly Lock _gate = new();
        private HashSet<string>? _waiting;
        private bool _busy;

        public void Notify(ActivityBatch batch)
        {
            lock (_gate)
            {
                if (_busy)
                {
                    (_waiting ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(batch.ConversationIds);
                    return;
                }
                _busy = true;
            }
            _ = Task.Run(() => TellAsync(batch));
        }

        private async Task TellAsync(ActivityBatch batch)
        {
            while (true)
            {
                try
                {
                    await onActivity(batch);
                }
                catch (Exception)
                {
                    // A screen that failed to refresh (its circuit gone) must not stop the others.
                }
                lock (_gate)
                {
                    if (_waiting is null)
                    {
                        _busy = false;
                        return;
                    }
                    batch = new ActivityBatch(_waiting);
                    _waiting = null;
                }
            }
        }

        public void Dispose() => watch.Unsubscribe(this);
    }
}
