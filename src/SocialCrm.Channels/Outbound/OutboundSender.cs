using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Channels.Outbound;

/// <summary>A reply or post on its way to the platform.</summary>
public sealed record OutboundMessage(
    string BrandId,
    string ChannelId,
    Platform Platform,
    string ConversationId,
    string MessageId,
    long Seq,
    string Text,
    Visibility Visibility,
    string? ExternalThreadId,
    string? RecipientCustomerId)
{
    /// <summary>The brand's account on the platform: a page, an Instagram account, a WhatsApp phone number id.</summary>
    public string AccountId { get; init; } = "";

    /// <summary>The customer's user id on the platform, for a private message.</summary>
    public string? RecipientUserId { get; init; }

    /// <summary>
    /// The platform's id of the comment this message answers: in a public thread, the comment it goes
    /// under (null: the post itself); in private, for the first reply after the conversation was taken
    /// private from a comment, that comment (Meta's private reply).
    /// </summary>
    public string? InReplyTo { get; init; }

    /// <summary>The first message of a broadcast: a new post, not a comment under one.</summary>
    public bool IsPost { get; init; }

    /// <summary>Sent after the platform's 24-hour window, which only the human-agent tag allows (Messenger, Instagram).</summary>
    public bool AfterStandardWindow { get; init; }

    /// <summary>Written by a human agent, who alone may use the human-agent tag; never a bot.</summary>
    public bool ByHumanAgent { get; init; }
}

/// <summary>What a send attempt came to. A permanent failure is not retried.</summary>
/// <param name="ExternalId">The platform's id of the message sent, when it gives one.</param>
/// <param name="RecipientId">The recipient's id as the platform answered it, when the message was addressed otherwise (by a comment).</param>
public sealed record DeliveryResult(bool Delivered, string? Error = null, bool Permanent = false, string? ExternalId = null,
    string? RecipientId = null)
{
    /// <summary>The platform refused the access token (401): a renewed token may still send it.</summary>
    public bool TokenRejected { get; init; }

    public static readonly DeliveryResult Sent = new(true);

    public static DeliveryResult Failed(string error, bool permanent = false) => new(false, error, permanent);
}

/// <summary>Sends messages to one kind of platform. Implementations never log message text or secrets.</summary>
public interface IOutboundSender
{
    bool Handles(Platform platform);

    Task<DeliveryResult> SendAsync(OutboundMessage message, ChannelSecrets? secrets, CancellationToken cancellationToken);
}

/// <summary>Finds the sender of a platform; a platform without one fails permanently, and says so.</summary>
public sealed class OutboundSenders(IEnumerable<IOutboundSender> senders)
{
    private readonly IOutboundSender[] _senders = senders.ToArray();

    public Task<DeliveryResult> SendAsync(OutboundMessage message, ChannelSecrets? secrets, CancellationToken cancellationToken)
    {
        var sender = Array.Find(_senders, s => s.Handles(message.Platform));
        return sender is null
            ? Task.FromResult(DeliveryResult.Failed($"No outbound sender for {WireNames.Of(message.Platform)} is configured yet.", permanent: true))
            : sender.SendAsync(message, secrets, cancellationToken);
    }
}
