using System.Security.Cryptography;
using System.Text;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Privacy;

/// <summary>One audit entry: who did what to which personal data. Never message text.</summary>
public sealed record AuditRecord(long Seq, long AtMs, string Actor, string Action, string? CustomerId, string? Resource, string Hash);

/// <summary>What the audit query filters on.</summary>
public sealed record AuditFilter(string BrandId, string? CustomerId, string? Actor, long? FromMs, long? ToMs, long AfterSeq, int Limit);

/// <summary>
/// The brand's append-only audit log. Each entry's hash covers the previous entry's hash and its own
/// fields, so an edited, inserted or deleted row breaks the chain from that point on.
/// </summary>
public sealed class AuditLog(Database database, GroupCommitWriter writer)
{
    public const string Genesis = "";

    public static string HashOf(string previousHash, long seq, long atMs, string actor, string action, string? customerId, string? resource)
    {
        var content = string.Join('\n', previousHash, seq, atMs, actor, action, customerId ?? "", resource ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    public async Task<(long Seq, string Hash)> LastAsync(string brandId, CancellationToken cancellationToken = default)
    {
        var rows = await database.QueryAsync("LastAudit", [SqlArg.Text("brand_id", brandId)],
            r => (r.Int64(0), r.GetString(1)), cancellationToken);
        return rows.Count == 0 ? (0, Genesis) : rows[0];
    }

    /// <summary>Writes entries durably, in one transaction, in the order given.</summary>
    public Task AppendAsync(string brandId, IReadOnlyList<AuditRecord> entries) =>
        writer.WriteAsync(entries.Select(e => new SqlStatement("InsertAudit",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Int64("seq", e.Seq), SqlArg.Int64("at_ms", e.AtMs),
            SqlArg.Text("actor", e.Actor), SqlArg.Text("action", e.Action), SqlArg.Text("customer_id", e.CustomerId),
            SqlArg.Text("resource", e.Resource), SqlArg.Text("hash", e.Hash),
        ])).ToList());

    public Task<List<AuditRecord>> ListAsync(AuditFilter filter, CancellationToken cancellationToken = default) =>
        database.QueryAsync("ListAudit",
        [
            SqlArg.Text("brand_id", filter.BrandId), SqlArg.Int64("after_seq", filter.AfterSeq),
            SqlArg.Text("customer_id", filter.CustomerId), SqlArg.Text("actor", filter.Actor),
            SqlArg.Int64("from_ms", filter.FromMs), SqlArg.Int64("to_ms", filter.ToMs), SqlArg.Int32("limit", filter.Limit),
        ], Map, cancellationToken);

    /// <summary>
    /// Recomputes the chain: the number of entries, the last seq and hash it reached, and the first seq
    /// where it no longer holds (or null).
    /// </summary>
    public async Task<(long Entries, long LastSeq, string LastHash, long? FirstBrokenSeq)> VerifyAsync(string brandId,
        CancellationToken cancellationToken = default)
    {
        long entries = 0, expectedSeq = 1, lastSeq = 0;
        long? firstBroken = null;
        var previous = Genesis;
        await foreach (var e in database.StreamAsync("AuditChain", [SqlArg.Text("brand_id", brandId)], Map, cancellationToken))
        {
            entries++;
            lastSeq = e.Seq;
            if (firstBroken is not null) continue;
            var recomputed = HashOf(previous, e.Seq, e.AtMs, e.Actor, e.Action, e.CustomerId, e.Resource);
            // A gap in seq is a deleted row; a hash that does not recompute is an edited one.
            if (e.Seq != expectedSeq) firstBroken = expectedSeq;
            else if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(recomputed), Encoding.ASCII.GetBytes(e.Hash)))
                firstBroken = e.Seq;
            previous = e.Hash;
            expectedSeq++;
        }
        return (entries, lastSeq, previous, firstBroken);
    }

    private static AuditRecord Map(System.Data.Common.DbDataReader r) =>
        new(r.Int64(0), r.Int64(1), r.GetString(2), r.GetString(3), r.StringOrNull(4), r.StringOrNull(5), r.GetString(6));
}
