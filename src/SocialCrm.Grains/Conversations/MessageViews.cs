using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>How a log entry is shown: the one mapping from a stored message to its view, for every reader.</summary>
public static class MessageViews
{
    /// <summary>The entry as a reader sees it: an erased text stays erased, the sentiment is not part of the log.</summary>
    public static MessageView Of(MessageRecord r) => new(
        r.Seq, r.Id, r.AuthorType, r.AuthorId, r.Redacted ? null : r.Body, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
        r.Visibility, Sentiment: null, r.DeliveryStatus is { } status ? WireNames.Of(status) : null, r.Redacted,
        r.ExternalMessageId, r.InReplyTo, r.Purpose, r.EventType, r.EventData, r.QuotedMessageId);
}
