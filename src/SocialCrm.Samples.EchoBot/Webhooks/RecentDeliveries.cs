namespace SocialCrm.Samples.EchoBot.Webhooks;

/// <summary>What <see cref="RecentDeliveries.Claim"/> found out about a delivery id.</summary>
public enum DeliveryClaim
{
    /// <summary>First sight: the caller handles it, then calls Complete or Release.</summary>
    Claimed,

    /// <summary>Handled before: a retry or a replay, to be acknowledged and dropped.</summary>
    AlreadyHandled,

    /// <summary>Another request is handling it right now.</summary>
    InProgress,
}

/// <summary>
/// The ids of the last deliveries handled, bounded (oldest forgotten first) so memory stays flat.
/// An id counts as handled only once its replies were made: a failed attempt is released, so the
/// service's retry does the work instead of being dropped as a duplicate.
/// </summary>
public sealed class RecentDeliveries(int capacity)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    public DeliveryClaim Claim(string deliveryId)
    {
        lock (_lock)
        {
            if (_handled.Contains(deliveryId)) return DeliveryClaim.AlreadyHandled;
            return _inProgress.Add(deliveryId) ? DeliveryClaim.Claimed : DeliveryClaim.InProgress;
        }
    }

    /// <summary>The delivery was handled: remember it, forgetting the oldest beyond the capacity.</summary>
    public void Complete(string deliveryId)
    {
        lock (_lock)
        {
            _inProgress.Remove(deliveryId);
            if (!_handled.Add(deliveryId)) return;
            _order.Enqueue(deliveryId);
            while (_order.Count > capacity) _handled.Remove(_order.Dequeue());
        }
    }

    /// <summary>The delivery was not handled: let the next attempt claim it again.</summary>
    public void Release(string deliveryId)
    {
        lock (_lock) _inProgress.Remove(deliveryId);
    }
}
