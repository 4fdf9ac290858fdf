namespace SocialCrm.Persistence.Storage;

/// <summary>Where and how the service stores its data (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded default), <c>postgres</c> or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Required for postgres and sqlserver; for sqlite, derived from <see cref="DataDirectory"/> when empty.</summary>
    public string? ConnectionString { get; set; }

    public string DataDirectory { get; set; } = "./data";

    /// <summary>The most appends one group commit takes.</summary>
    public int GroupCommitMaxBatch { get; set; } = 512;

    /// <summary>
    /// How long, at most, a group commit waits for company while the service is busy (only when there
    /// are several writers). None by default: a writer's batch gathers while it commits the one before,
    /// and a wait of 1 ms (3 ms in practice, timer and scheduling) cost PostgreSQL inbound a sixth of its
    /// rate on two cores (5,169 and 4,910 msgs/s against 5,988 and 6,071 without).
    /// </summary>
    public double GroupCommitMaxWaitMs { get; set; }

    /// <summary>
    /// Concurrent group-commit writers (SQLite always uses one: it has a single writer). Unset, half the
    /// cores and at least two: on two cores, four writers made batches half as large and spent the CPU
    /// on commits (2,986 msgs/s against 3,632–3,951 with two, PostgreSQL on the same machine).
    /// </summary>
    public int? GroupCommitWriters { get; set; }

    public int EffectiveGroupCommitWriters => GroupCommitWriters ?? Math.Clamp(Environment.ProcessorCount / 2, 2, 16);
}
