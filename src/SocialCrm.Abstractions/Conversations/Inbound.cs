using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Conversations;

/// <summary>
/// The entry of an inbound message, keyed <c>{brandId}/{channelId}</c>. A stateless worker: each
/// silo runs its own activations, so a busy channel never funnels through one grain.
/// </summary>
public interface IInboundGrain : IBrandScopedGrain
{
    Task<Outcome<InboundAccepted>> Receive(InboundRequest request);
}

[GenerateSerializer, Immutable]
public sealed record InboundRequest(
    [property: Id(0)] string ExternalMessageId,
    [property: Id(1)] string ExternalUserId,
    [property: Id(2)] string? UserDisplayName,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTimeOffset? Timestamp,
    [property: Id(5)] Visibility Visibility,
    [property: Id(6)] string? ExternalThreadId,
    [property: Id(7)] string? InReplyToExternalMessageId);

[GenerateSerializer, Immutable]
public sealed record InboundAccepted(
    [property: Id(0)] string ConversationId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] long Seq,
    [property: Id(4)] bool Duplicate);
