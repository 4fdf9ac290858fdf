using SocialCrm.Abstractions.Conversations;
using SocialCrm.Grains.Insights;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>How a log entry is shown: the one mapping from a stored message to its view, for every reader.</summary>
public static class MessageViews
{
    /// <summary>The entry as a reader sees it: an erased text stays erased, and its sentiment with it.</summary>
    public static MessageView Of(MessageRecord r) => new(
        r.Seq, r.Id, r.AuthorType, r.AuthorId, r.Redacted ? null : r.Body, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
        r.Visibility, r.Redacted ? null : Sentiments.View(r.SentimentScore), r.DeliveryStatus is { } status ? WireNames.Of(status) : null, r.Redacted,
        r.ExternalMessageId, r.InReplyTo, r.Purpose, r.EventType, r.EventData, r.QuotedMessageId,
        // Why the last delivery attempt failed (a summary the sender wrote, never the platform's raw answer), while not yet sent.
        r.DeliveryStatus is DeliveryStatus.Failed or DeliveryStatus.Pending ? r.LastDeliveryError : null);
}
