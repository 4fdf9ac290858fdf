using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SocialCrm.Grains.Conversations;

namespace SocialCrm.Host.Api;

/// <summary>
/// Counts this node's open event streams, per key and in all: a stream lasts as long as its client
/// wants and polls the database all the while, so the rate limit, which counts requests, cannot bound them.
/// </summary>
public sealed class EventStreamSlots(IOptions<BrandEventOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _perKey = new();
    private int _total;

    /// <summary>A slot for the key's new stream, released by disposing it; null when the key or the node has none left.</summary>
    public IDisposable? TryOpen(string keyId)
    {
        var limits = options.Value;
        if (Interlocked.Increment(ref _total) > limits.MaxStreamsPerNode)
        {
            Interlocked.Decrement(ref _total);
            return null;
        }
        if (_perKey.AddOrUpdate(keyId, 1, (_, open) => open + 1) > limits.MaxStreamsPerKey)
        {
            Release(keyId);
            return null;
        }
        return new Slot(this, keyId);
    }

    private void Release(string keyId)
    {
        Interlocked.Decrement(ref _total);
        // Removed at zero so that keys that stopped streaming cost no memory.
        if (_perKey.AddOrUpdate(keyId, 0, (_, open) => open - 1) <= 0) _perKey.TryRemove(new KeyValuePair<string, int>(keyId, 0));
    }

    private sealed class Slot(EventStreamSlots slots, string keyId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release(keyId);
        }
    }
}
