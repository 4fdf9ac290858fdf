using System.Runtime.CompilerServices;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Persistence.Privacy;

namespace SocialCrm.Grains.Consent;

/// <summary>One customer's state for the purpose, as the report lists it.</summary>
public sealed record ConsentReportLine(string CustomerId, string Purpose, string Status, bool Effective, string? LawfulBasis,
    string? Source, string? PolicyVersion, DateTimeOffset? RecordedAt, DateTimeOffset? ExpiresAt);

/// <summary>
/// Every customer's consent for a purpose, for compliance officers: audited, then streamed row by row
/// from the database, so a brand of a million customers is never held in memory. It runs in-process
/// beside the grains; the API reads it as it writes the answer.
/// </summary>
public sealed class ConsentReport(PrivacyStore privacy, IGrainFactory grains, TimeProvider clock)
{
    /// <param name="purpose">The purpose as the caller named it (a valid purpose), echoed on each line.</param>
    /// <param name="status">granted, withdrawn or unknown; null for all.</param>
    public async Task<IAsyncEnumerable<ConsentReportLine>> OpenAsync(string brandId, string purpose, string? status, CancellationToken cancellationToken)
    {
        await grains.GetGrain<IAuditGrain>(brandId).Record(new AuditDraft(ActorContext.Current ?? "unknown", "consent.report", null,
            $"consents?purpose={purpose}&status={status}"));
        // Whole milliseconds, as stored: an expiry is in effect until this very millisecond.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        return Lines(privacy.ConsentReportAsync(brandId, purpose, status, cancellationToken), purpose, now, cancellationToken);
    }

    // Parsed once, not per row of a report that can run to millions.
    private static readonly Dictionary<string, ConsentStatus> Statuses =
        Enum.GetValues<ConsentStatus>().ToDictionary(s => WireNames.Of(s), StringComparer.Ordinal);

    private static async IAsyncEnumerable<ConsentReportLine> Lines(IAsyncEnumerable<ConsentReportRow> rows, string purpose, DateTimeOffset now,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            var recordedAt = r.RecordedAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : (DateTimeOffset?)null;
            var expiresAt = r.ExpiresAtMs is { } exp ? DateTimeOffset.FromUnixTimeMilliseconds(exp) : (DateTimeOffset?)null;
            var effective = Statuses.TryGetValue(r.Status, out var status) && ConsentInEffect.At(status, expiresAt, now);
            yield return new ConsentReportLine(r.CustomerId, purpose, r.Status, effective, r.LawfulBasis, r.Source, r.PolicyVersion,
                recordedAt, expiresAt);
        }
    }
}
