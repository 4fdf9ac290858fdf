using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Channels;

/// <summary>A brand's presence on one platform, keyed <c>{brandId}/{channelId}</c>.</summary>
public interface IChannelGrain : IBrandScopedGrain
{
    Task<Outcome<ChannelView>> Register(ChannelRegistration registration);

    [ReadOnly]
    Task<ChannelView?> Get();

    /// <summary>Rotates secrets: a given value replaces the stored one, an empty one removes it, a missing (null) one stays.</summary>
    Task<Outcome<ChannelView>> ChangeSecrets(ChannelSecrets change);

    /// <summary>The platform and secrets, for the grains that send on the channel's behalf; never for the API.</summary>
    [ReadOnly]
    Task<ChannelDelivery?> DeliveryTarget();
}

/// <param name="ExternalAccountId">The brand's account on the platform: a page, an Instagram account, a WhatsApp phone number id.</param>
[GenerateSerializer, Immutable]
public sealed record ChannelDelivery([property: Id(0)] Platform Platform, [property: Id(1)] ChannelSecrets? Secrets,
    [property: Id(2)] string ExternalAccountId);

[GenerateSerializer, Immutable]
public sealed record ChannelSecrets(
    [property: Id(0)] string? AppSecret,
    [property: Id(1)] string? VerifyToken,
    [property: Id(2)] string? AccessToken,
    [property: Id(3)] string? ConsumerSecret);

[GenerateSerializer, Immutable]
public sealed record ChannelRegistration(
    [property: Id(0)] Platform Platform,
    [property: Id(1)] string ExternalAccountId,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] ChannelSecrets? Secrets);

/// <summary>A channel as callers may see it: never its secrets.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelView(
    [property: Id(0)] string Id,
    [property: Id(1)] Platform Platform,
    [property: Id(2)] string ExternalAccountId,
    [property: Id(3)] string DisplayName,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] IReadOnlyList<string> ConfiguredSecrets);
