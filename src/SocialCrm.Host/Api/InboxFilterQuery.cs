using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Grains.Insights;

namespace SocialCrm.Host.Api;

/// <summary>
/// The inbox's filters as the query string spells them, shared by the list and its unread count:
/// <c>status, channelId, visibility, assignee, customerId, sentiment, priority, team, tag, q</c> (the
/// customer's name, from the start of any of its words) and <c>unread=true</c>.
/// </summary>
public sealed record InboxFilterQuery(string? Status, string? ChannelId, string? Visibility, string? Assignee, string? CustomerId,
    string? Sentiment, string? Priority, string? Team, string? Tag, string? Q, bool? Unread)
{
    public InboxQuery Parse(FieldErrors errors, int limit, InboxCursor? after)
    {
        ConversationStatus? status = Status is null ? null : errors.Enum<ConversationStatus>("status", Status);
        Visibility? visibility = Visibility is null ? null : errors.Enum<Visibility>("visibility", Visibility);
        ConversationPriority? priority = Priority is null ? null : errors.Enum<ConversationPriority>("priority", Priority);
        errors.IdFilter("channelId", ChannelId);
        errors.IdFilter("assignee", Assignee);
        errors.IdFilter("customerId", CustomerId);
        errors.IdFilter("team", Team);
        if (Sentiment is not null && !Sentiments.Labels.Contains(Sentiment, StringComparer.Ordinal))
            errors.Add("sentiment", "must be one of: " + string.Join(", ", Sentiments.Labels) + ".");
        string? tag = null;
        if (Tag is not null && (tag = Tags.TryNormalize(Tag)) is null)
            errors.Add("tag", $"must be 1–{Tags.MaxLength} letters, digits or - _ . :.");
        if (Q is not null && (Q.Length > SearchNames.MaxLength || SearchNames.Pattern(Q) is null))
            errors.Add("q", $"must hold a letter or digit and at most {SearchNames.MaxLength} characters.");
        return new InboxQuery(status, ChannelId, visibility, Assignee, CustomerId, limit, after, Sentiment, priority, Team, tag, Q,
            Unread ?? false);
    }
}
