using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Conversations;

/// <summary>Filters of the unified inbox, as stored values (wire names), with a keyset position.</summary>
public sealed record InboxFilter(
    string BrandId,
    string? Status,
    string? ChannelId,
    string? Visibility,
    string? Assignee,
    string? CustomerId,
    string? Sentiment,
    long? CursorMs,
    string? CursorId,
    int Limit,
    string? Priority = null,
    string? TeamId = null,
    string? Tag = null,
    string? CustomerName = null,
    bool UnreadOnly = false);

/// <summary>Reads the inbox projection: newest activity first, keyset-paged so deep pages cost the same.</summary>
public sealed class InboxStore(Database database)
{
    // "Assigned to" is the one selective filter: it gets its own statement, which can use the assignee index.
    public Task<List<ConversationRecord>> ListAsync(InboxFilter filter, CancellationToken cancellationToken = default) =>
        database.QueryAsync(filter.Assignee is null ? "ListInbox" : "ListInboxAssigned",
            [
                .. FilterArgs(filter),
                SqlArg.Int64("cursor_ms", filter.CursorMs),
                SqlArg.Text("cursor_id", filter.CursorId),
                SqlArg.Int32("limit", filter.Limit),
            ],
            r => new ConversationRecord(filter.BrandId,
                Id: r.GetString(0), ChannelId: r.GetString(1), Visibility: StoredNames.Parse(r.GetString(2), Visibility.Private),
                Kind: StoredNames.Parse(r.GetString(3), ConversationKind.Private), Status: StoredNames.Parse(r.GetString(4), ConversationStatus.Open), CustomerId: r.StringOrNull(5), Assignee: r.StringOrNull(6), Controller: r.GetString(7),
                ExternalThreadId: r.StringOrNull(10), CreatedAtMs: 0, LastActivityMs: r.Int64(8), LastMessageAtMs: null,
                LastCustomerMessageAtMs: null, MessageCount: r.Int64(9), LastSeq: 0, SentimentScore: r.DoubleOrNull(11),
                SentimentLabel: r.StringOrNull(12), Priority: StoredNames.Parse(r.GetString(13), ConversationPriority.Normal),
                TeamId: r.StringOrNull(14), Tags: Tags.Split(r.StringOrNull(15)), UnreadCount: r.Int64(16)),
            cancellationToken);

    /// <summary>How many conversations of the filter hold unread customer messages, counted up to <paramref name="cap"/>.</summary>
    public async Task<long> CountUnreadAsync(InboxFilter filter, int cap, CancellationToken cancellationToken = default) =>
        (await database.QueryAsync("CountUnreadInbox", [.. FilterArgs(filter), SqlArg.Int32("cap", cap)],
            r => r.Int64(0), cancellationToken)).FirstOrDefault();

    private static SqlArg[] FilterArgs(InboxFilter filter) =>
    [
        SqlArg.Text("brand_id", filter.BrandId),
        SqlArg.Text("status", filter.Status),
        SqlArg.Text("channel_id", filter.ChannelId),
        SqlArg.Text("visibility", filter.Visibility),
        SqlArg.Text("assignee", filter.Assignee),
        SqlArg.Text("customer_id", filter.CustomerId),
        SqlArg.Text("sentiment", filter.Sentiment),
        SqlArg.Text("priority", filter.Priority),
        SqlArg.Text("team_id", filter.TeamId),
        SqlArg.Text("tag", filter.Tag),
        SqlArg.Text("name_like", filter.CustomerName),
        SqlArg.Int32("unread", filter.UnreadOnly ? 1 : 0),
    ];
}
