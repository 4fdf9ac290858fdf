using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Privacy;

/// <summary>A customer's state for one purpose, as the consent report lists it.</summary>
public sealed record ConsentReportRow(string CustomerId, string Status, string? LawfulBasis, string? Source, string? PolicyVersion,
    long? RecordedAtMs, long? ExpiresAtMs);

/// <summary>
/// The stores compliance work touches: the customer and consent projections, the export of what is
/// held on a customer, and the statements that erase and purge message bodies.
/// </summary>
public sealed class PrivacyStore(Database database, GroupCommitWriter writer)
{
    /// <param name="searchName">The display name's search form (<see cref="Abstractions.Customers.SearchNames"/>), kept current.</param>
    public Task RecordCustomerAsync(string brandId, string customerId, long createdAtMs, string? searchName) =>
        writer.WriteAsync([new SqlStatement("InsertCustomer",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", customerId), SqlArg.Int64("created_at_ms", createdAtMs),
             SqlArg.Text("search_name", searchName)])]);

    public Task RecordConsentAsync(string brandId, string customerId, string purpose, string status, string lawfulBasis, string source,
        string? policyVersion, long recordedAtMs, long? expiresAtMs) =>
        writer.WriteAsync([new SqlStatement("UpsertConsent",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("purpose", purpose), SqlArg.Text("customer_id", customerId),
            SqlArg.Text("status", status), SqlArg.Text("lawful_basis", lawfulBasis), SqlArg.Text("source", source),
            SqlArg.Text("policy_version", policyVersion), SqlArg.Int64("recorded_at_ms", recordedAtMs),
            SqlArg.Int64("expires_at_ms", expiresAtMs),
        ])]);

    public Task<List<(string Id, long CreatedAtMs)>> ListCustomersAsync(string brandId, string? afterId, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ListCustomers",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("after_id", afterId), SqlArg.Int32("limit", limit)],
            r => (r.GetString(0), r.Int64(1)), cancellationToken);

    /// <summary>Every customer's state for a purpose, streamed in id order (customers without a record are "unknown").</summary>
    public IAsyncEnumerable<ConsentReportRow> ConsentReportAsync(string brandId, string purpose, string? status,
        CancellationToken cancellationToken = default) =>
        database.StreamAsync("ConsentReport",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("purpose", purpose), SqlArg.Text("status", status)],
            r => new ConsentReportRow(r.GetString(0), r.StringOrNull(1) ?? "unknown", r.StringOrNull(2), r.StringOrNull(3),
                r.StringOrNull(4), r.Int64OrNull(5), r.Int64OrNull(6)),
            cancellationToken);

    /// <summary>The messages of a data subject access export, typed as log rows (what the export does not list stays empty).</summary>
    public IAsyncEnumerable<MessageRecord> ExportMessagesAsync(string brandId, string customerId, CancellationToken cancellationToken = default) =>
        database.StreamAsync("ExportMessages",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId)],
            r =>
            {
                // Read in column order: the export streams with sequential access, where a column read
                // after a later one is gone (PostgreSQL refuses it).
                var (conversationId, seq, id, authorType, authorId, body) =
                    (r.GetString(0), r.Int64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.StringOrNull(5));
                var (createdAtMs, visibility, redacted, externalMessageId, eventType, deliveryStatus, sentiment) =
                    (r.Int64(6), r.GetString(7), r.Bool(8), r.StringOrNull(9), r.StringOrNull(10), r.StringOrNull(11), r.DoubleOrNull(12));
                return new MessageRecord(brandId, ConversationId: conversationId, Seq: seq, Id: id, ChannelId: "",
                    AuthorType: StoredNames.Parse(authorType, AuthorType.System), AuthorId: authorId, Body: body,
                    Visibility: StoredNames.Parse(visibility, Visibility.Private), Purpose: null, CreatedAtMs: createdAtMs,
                    SentAtMs: createdAtMs, ExternalMessageId: externalMessageId, InReplyTo: null, DedupeKey: null,
                    DeliveryStatus: StoredNames.ParseOrNull<DeliveryStatus>(deliveryStatus), Redacted: redacted,
                    EventType: eventType, SentimentScore: sentiment);
            },
            cancellationToken);

    public Task<List<string>> PrivateConversationsOfAsync(string brandId, string customerId, CancellationToken cancellationToken = default) =>
        database.QueryAsync("PrivateConversationsOfCustomer",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId)], r => r.GetString(0), cancellationToken);

    /// <summary>
    /// Removes a customer's personal data from our tables in one transaction: the bodies and platform
    /// ids of their messages and of brand quotes of them, the brand's replies pointing at them, every
    /// word and platform id of their private conversations (the brand's too), the platform's thread id
    /// of those, their consent and participation projections, replies still waiting to be sent to them,
    /// the insight terms' examples they wrote, and the payloads of webhook deliveries about them. Idempotent, so an interrupted erasure can run again.
    /// </summary>
    public Task EraseCustomerAsync(string brandId, string customerId, long erasedAtMs)
    {
        SqlArg[] who = [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId)];
        return writer.WriteAsync(
        [
            new SqlStatement("ClearTermExamplesOfCustomer", who),
            new SqlStatement("RedactQuotesOfCustomer", who),
            new SqlStatement("UnlinkRepliesToCustomer", who),
            new SqlStatement("RedactMessagesOfCustomer", who),
            new SqlStatement("RedactPrivateConversationsOfCustomer", who),
            new SqlStatement("ForgetPrivateThreadsOfCustomer", who),
            new SqlStatement("CancelPendingToCustomer", who),
            new SqlStatement("DeleteConsentsOfCustomer", who),
            new SqlStatement("DeleteParticipantsOfCustomer", who),
            new SqlStatement("RedactDeliveriesOfCustomer", who),
            new SqlStatement("MarkCustomerErased",
                [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", customerId), SqlArg.Int64("erased_at_ms", erasedAtMs)]),
        ]);
    }

    /// <summary>
    /// On the embedded database, erased text must not survive in free pages or the write-ahead log
    /// (<see cref="DialectProfile.ScrubAfterErasure"/>). The server dialects keep no copy a user of this service can read.
    /// </summary>
    public async Task ScrubFreedSpaceAsync(CancellationToken cancellationToken = default)
    {
        var scrub = database.Profile.ScrubAfterErasure;
        if (scrub.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var statement in scrub)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Purges the bodies of a brand's messages older than the cutoff; returns how many.</summary>
    public Task<int> PurgeMessagesBeforeAsync(string brandId, long beforeMs, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("PurgeMessagesBefore",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("before_id", Ids.TimeOrderedBound(Ids.MessagePrefix, beforeMs)), SqlArg.Int64("before_ms", beforeMs)],
            cancellationToken);
}
