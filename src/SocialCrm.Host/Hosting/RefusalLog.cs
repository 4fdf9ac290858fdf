namespace SocialCrm.Host.Hosting;

/// <summary>
/// Refused requests (unreadable bodies, bad keys) as one short line each, at most one line a second per
/// kind, saying how many were left out since the previous line: a flood of bad requests cannot flood
/// the log. A line names the status and the field or reason, never the value sent.
/// </summary>
public sealed class RefusalLog(ILogger<RefusalLog> logger, TimeProvider clock)
{
    public const string Unreadable = "A request could not be read";
    public const string BadKey = "A request was refused for its API key";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly Window _unreadable = new();
    private readonly Window _badKey = new();
    private readonly Window _other = new();

    public void Write(string kind, string reason)
    {
        var window = kind switch { Unreadable => _unreadable, BadKey => _badKey, _ => _other };
        int suppressed;
        var now = clock.GetTimestamp();
        lock (window)
        {
            if (window.LastAt != 0 && clock.GetElapsedTime(window.LastAt, now) < Interval)
            {
                window.Suppressed++;
                return;
            }
            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastAt = now;
        }
        logger.LogWarning("{Kind}: {Reason} ({Suppressed} more since the previous such line)", kind, reason, suppressed);
    }

    private sealed class Window
    {
        public long LastAt;
        public int Suppressed;
    }
}
