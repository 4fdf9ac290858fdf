using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Privacy;

namespace SocialCrm.Grains.Privacy;

[GenerateSerializer]
public sealed class AuditAnchor
{
    /// <summary>The newest entry written: a chain that ends before it was cut short.</summary>
    [Id(0)] public long Seq { get; set; }
    [Id(1)] public string Hash { get; set; } = AuditLog.Genesis;
}

/// <summary>
/// The brand's audit chain. Entries are numbered and hashed in call order; a single flush at a time
/// writes them in batches, so the chain on disk never has a hole, and the head is anchored in grain
/// state so that deleting the newest rows is detected too.
/// </summary>
[Reentrant]
public sealed class AuditGrain(
    [PersistentState("audit", GrainStorage.Name)] IPersistentState<AuditAnchor> anchor,
    AuditLog log,
    TimeProvider clock) : Grain, IAuditGrain
{
    private string BrandId => this.GetPrimaryKeyString();

    private long _seq;
    private string _hash = AuditLog.Genesis;
    private List<(AuditRecord Record, TaskCompletionSource<AuditEntry> Done)> _buffer = [];
    private Task? _flushing;
    private bool _broken;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        (_seq, _hash) = await log.LastAsync(BrandId, cancellationToken);

    Task<AuditEntry> IAuditGrain.Record(AuditDraft draft)
    {
        if (_broken) throw new InvalidOperationException("The audit log is reloading after a failed write; retry.");
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var seq = ++_seq;
        _hash = AuditLog.HashOf(_hash, seq, at, draft.Actor, draft.Action, draft.CustomerId, draft.Resource);
        var done = new TaskCompletionSource<AuditEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        _buffer.Add((new AuditRecord(seq, at, draft.Actor, draft.Action, draft.CustomerId, draft.Resource, _hash), done));
        _flushing ??= FlushAsync();
        return done.Task;
    }

    async Task<AuditPage> IAuditGrain.List(AuditQuery query)
    {
        var rows = await log.ListAsync(new AuditFilter(BrandId, query.CustomerId, query.Actor, query.From?.ToUnixTimeMilliseconds(),
            query.To?.ToUnixTimeMilliseconds(), query.AfterSeq, query.Limit + 1));
        var items = rows.Take(query.Limit).Select(ToEntry).ToList();
        return new AuditPage(items, rows.Count > query.Limit ? items[^1].Seq : null);
    }

    async Task<AuditVerification> IAuditGrain.Verify()
    {
        var (entries, lastSeq, lastHash, broken) = await log.VerifyAsync(BrandId);
        var anchored = anchor.State;
        // Rows deleted from the end leave a chain that holds but stops short of the anchored head.
        if (broken is null && (lastSeq < anchored.Seq || (lastSeq == anchored.Seq && lastHash != anchored.Hash)))
            broken = Math.Min(lastSeq + 1, anchored.Seq);
        return new AuditVerification(broken is null, entries, broken);
    }

    private async Task FlushAsync()
    {
        while (_buffer.Count > 0)
        {
            var batch = _buffer;
            _buffer = [];
            try
            {
                await log.AppendAsync(BrandId, batch.Select(b => b.Record).ToList());
                anchor.State.Seq = batch[^1].Record.Seq;
                anchor.State.Hash = batch[^1].Record.Hash;
                await anchor.WriteStateAsync();
                foreach (var (record, done) in batch) done.TrySetResult(ToEntry(record));
            }
            catch (Exception ex)
            {
                // Numbers already handed out were not written: refuse until a fresh activation reloads the head.
                _broken = true;
                foreach (var (_, done) in batch.Concat(_buffer)) done.TrySetException(ex);
                _buffer.Clear();
                this.DeactivateOnIdle();
            }
        }
        _flushing = null;
    }

    private static AuditEntry ToEntry(AuditRecord r) =>
        new(r.Seq, DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.Actor, r.Action, r.CustomerId, r.Resource, r.Hash);
}

/// <summary>How grains write to the audit log: the actor comes from the request context.</summary>
public static class Audit
{
    public static Task<AuditEntry> RecordAsync(IGrainFactory grains, string brandId, string action, string? customerId, string? resource) =>
        grains.GetGrain<IAuditGrain>(brandId).Record(new AuditDraft(ActorContext.Current ?? "system", action, customerId, resource));
}
