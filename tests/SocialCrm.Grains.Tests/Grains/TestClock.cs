namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// A clock a test moves forward: the system clock plus an offset. Only the wall-clock time is moved;
/// timers and timestamps stay real, so Orleans' own timers keep firing while the grains see hours or
/// days go by at once. Never moves backwards, as no real clock does.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock to <paramref name="instant"/>, which must not be in its past.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow();
        if (by < TimeSpan.Zero) throw new InvalidOperationException($"The clock is at {GetUtcNow():O}, past {instant:O}: it never goes back.");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
