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
    string? RecipientCustomerId);

/// <summary>What a send attempt came to. A permanent failure is not retried.</summary>
public sealed record DeliveryResult(bool Delivered, string? Error = null, bool Permanent = false)
{
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
