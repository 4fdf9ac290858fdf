using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Grains.Insights;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>Lists a brand's unified inbox from the projection; a stateless worker, so reads never queue on one activation.</summary>
[StatelessWorker, Reentrant]
public sealed class InboxGrain(InboxStore store) : Grain, IInboxGrain
{
    async Task<InboxPage> IInboxGrain.List(InboxQuery query)
    {
        var rows = await store.ListAsync(Filter(query, query.Limit + 1));
        var items = rows.Take(query.Limit).Select(r => new InboxItem(
            r.Id, r.ChannelId, r.Visibility, r.Kind, r.Status, r.CustomerId, r.Assignee, r.Controller,
            DateTimeOffset.FromUnixTimeMilliseconds(r.LastActivityMs), r.MessageCount, r.ExternalThreadId,
            Sentiments.View(r.SentimentScore), r.Priority, r.TeamId, r.Tags, r.UnreadCount)).ToList();
        var next = rows.Count > query.Limit ? new InboxCursor(items[^1].LastActivityAt.ToUnixTimeMilliseconds(), items[^1].Id) : null;
        return new InboxPage(items, next);
    }

    Task<long> IInboxGrain.CountUnread(InboxQuery query, int cap) =>
        store.CountUnreadAsync(Filter(query with { After = null, UnreadOnly = false }, limit: 0), cap);

    private InboxFilter Filter(InboxQuery query, int limit) => new(
        this.GetPrimaryKeyString(),
        query.Status is { } status ? WireNames.Of(status) : null,
        query.ChannelId,
        query.Visibility is { } visibility ? WireNames.Of(visibility) : null,
        query.Assignee,
        query.CustomerId,
        query.Sentiment,
        query.After?.LastActivityMs,
        query.After?.ConversationId,
        limit,
        query.Priority is { } priority ? WireNames.Of(priority) : null,
        query.TeamId,
        query.Tag,
        SearchNames.Pattern(query.CustomerName),
        query.UnreadOnly);
}
