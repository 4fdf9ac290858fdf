namespace SocialCrm.Grains.Conversations;

/// <summary>How replies are retried on their way out (configuration section <c>Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Attempts before a message is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    public int InitialBackoffMs { get; set; } = 1_000;

    public int MaxBackoffMs { get; set; } = 300_000;

    public TimeSpan BackoffAfter(int attempts) => Backoff.After(attempts, InitialBackoffMs, MaxBackoffMs);
}

/// <summary>Retry delays shared by replies and webhook deliveries.</summary>
public static class Backoff
{
    /// <summary>Exponential backoff with jitter between half and the whole step, so retries do not march in step.</summary>
    public static TimeSpan After(int attempts, int initialMs, int maxMs)
    {
        var step = Math.Min(maxMs, initialMs * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromMilliseconds(step * (0.5 + Random.Shared.NextDouble() / 2));
    }
}
