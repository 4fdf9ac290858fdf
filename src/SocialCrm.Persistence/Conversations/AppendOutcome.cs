namespace SocialCrm.Persistence.Conversations;

/// <summary>What an append did: the entry is in the log, or its idempotency key already was (nothing written).</summary>
public abstract record AppendOutcome
{
    private AppendOutcome() { }

    /// <summary>The entry and everything with it committed.</summary>
    public sealed record Appended : AppendOutcome;

    /// <summary>The log already held the key: the ids of the first copy.</summary>
    public sealed record Duplicate(StoredMessageRef Existing) : AppendOutcome;

    /// <summary>Shared: an append that succeeds allocates no outcome.</summary>
    public static readonly AppendOutcome Done = new Appended();
}
