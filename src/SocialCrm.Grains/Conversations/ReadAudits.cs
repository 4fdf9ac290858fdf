namespace SocialCrm.Grains.Conversations;

/// <summary>
/// Which people this conversation's activation audited as readers lately. Message text is personal
/// data, so a person's reads are audited: their first read always, then at most once per reader every
/// <see cref="Interval"/>, since a console that refreshes a thread live would otherwise write an entry
/// per refresh per viewer. Forgetting a reader (the cap, a new activation) only audits them once more.
/// </summary>
internal sealed class ReadAudits
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    private const int MaxRemembered = 256;
    private readonly Dictionary<string, DateTimeOffset> _lastAudited = new(StringComparer.Ordinal);

    public bool IsDue(string reader, DateTimeOffset now) =>
        !(_lastAudited.TryGetValue(reader, out var at) && now >= at && now - at < Interval);

    /// <summary>Called once the audit entry is written, never before: a failed write is tried again at the next read.</summary>
    public void Audited(string reader, DateTimeOffset now)
    {
        if (!_lastAudited.ContainsKey(reader) && _lastAudited.Count >= MaxRemembered)
        {
            foreach (var stale in _lastAudited.Where(r => now - r.Value >= Interval).Select(r => r.Key).ToList())
                _lastAudited.Remove(stale);
            if (_lastAudited.Count >= MaxRemembered) _lastAudited.Remove(_lastAudited.MinBy(r => r.Value).Key);
        }
        _lastAudited[reader] = now;
    }
}
