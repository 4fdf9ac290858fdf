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

    /// <summary>Checks a platform webhook's signature over its raw body against the channel's secret, which stays here.</summary>
    [ReadOnly]
    Task<Outcome<Platform>> VerifyWebhook(PlatformSignature signature);

    /// <summary>Answers a platform's subscription check (Meta's verify token, X's challenge-response) with the channel's secret.</summary>
    [ReadOnly]
    Task<Outcome<ChallengeAnswer>> AnswerChallenge(PlatformChallenge challenge);

    /// <summary>
    /// Renews the access token the caller used (about to expire, or refused by the platform) with the
    /// channel's refresh token, unless it was renewed already; the channel's health says how it went.
    /// Renewals are serialized here, so a refresh token the platform takes only once is used once.
    /// The answer is the target to send with now: a new access token when there is one.
    /// </summary>
    Task<ChannelDelivery?> RenewAccessToken(string? usedAccessToken);
}

/// <summary>A platform webhook as received: the route's platform, its signature header and its raw body (at most 256 KiB).</summary>
[GenerateSerializer, Immutable]
public sealed record PlatformSignature([property: Id(0)] Platform Platform, [property: Id(1)] string? Header, [property: Id(2)] byte[] Body);

/// <summary>A platform's subscription check as received: X's <c>crc_token</c>, or Meta's <c>hub.mode</c>, <c>hub.verify_token</c>, <c>hub.challenge</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record PlatformChallenge([property: Id(0)] Platform Platform, [property: Id(1)] string? CrcToken, [property: Id(2)] string? Mode,
    [property: Id(3)] string? VerifyToken, [property: Id(4)] string? Challenge);

/// <summary>The answer to a subscription check: X's response token, or Meta's challenge to echo.</summary>
[GenerateSerializer, Immutable]
public sealed record ChallengeAnswer([property: Id(0)] Platform Platform, [property: Id(1)] string Answer);

/// <summary>Whether a channel can send: its token works, or expired with nothing to renew it, or its renewal failed.</summary>
[GenerateSerializer]
public enum ChannelHealthState { Ok, TokenExpired, RefreshFailed }

/// <summary>A channel's health since <paramref name="Since"/>; the detail names a status and an error code, never a secret.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelHealth([property: Id(0)] ChannelHealthState State, [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] string? Detail);

/// <param name="ExternalAccountId">The brand's account on the platform: a page, an Instagram account, a WhatsApp phone number id.</param>
[GenerateSerializer, Immutable]
public sealed record ChannelDelivery([property: Id(0)] Platform Platform, [property: Id(1)] ChannelSecrets? Secrets,
    [property: Id(2)] string ExternalAccountId);

/// <param name="RefreshToken">OAuth 2.0 (X): renews the access token; the platform may take each one only once.</param>
/// <param name="ClientId">OAuth 2.0 (X): the app's client id, sent with each refresh.</param>
/// <param name="ClientSecret">OAuth 2.0 (X): a confidential client's secret, for HTTP Basic auth on each refresh.</param>
/// <param name="AccessTokenExpiresAt">When the access token expires, when known: it is renewed shortly before.</param>
[GenerateSerializer, Immutable]
public sealed record ChannelSecrets(
    [property: Id(0)] string? AppSecret,
    [property: Id(1)] string? VerifyToken,
    [property: Id(2)] string? AccessToken,
    [property: Id(3)] string? ConsumerSecret,
    [property: Id(4)] string? RefreshToken = null,
    [property: Id(5)] string? ClientId = null,
    [property: Id(6)] string? ClientSecret = null,
    [property: Id(7)] DateTimeOffset? AccessTokenExpiresAt = null);

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
    [property: Id(5)] IReadOnlyList<string> ConfiguredSecrets,
    [property: Id(6)] ChannelHealth Health,
    [property: Id(7)] DateTimeOffset? AccessTokenExpiresAt);
