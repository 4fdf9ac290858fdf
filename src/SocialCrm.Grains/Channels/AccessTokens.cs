using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Grains.Channels;

/// <summary>When a sender asks the channel for a renewed access token: a rule without I/O.</summary>
public static class AccessTokens
{
    /// <summary>How long before its expiry a token is renewed: a reply never leaves with one about to lapse.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the token expires within <see cref="RenewBefore"/>: renewed when the channel holds a
    /// refresh token, and once expired also without one, so that the channel's health tells it.
    /// </summary>
    public static bool DueForRenewal(ChannelDelivery? target, DateTimeOffset now) =>
        target?.Secrets is { AccessTokenExpiresAt: { } expiresAt } secrets && !string.IsNullOrEmpty(secrets.AccessToken)
        && (now >= expiresAt || (now >= expiresAt - RenewBefore && !string.IsNullOrEmpty(secrets.RefreshToken)));

    /// <summary>Whether the renewal gave another token than the one used.</summary>
    public static bool Differ(ChannelDelivery renewed, ChannelDelivery used) =>
        !string.IsNullOrEmpty(renewed.Secrets?.AccessToken) && renewed.Secrets.AccessToken != used.Secrets?.AccessToken;
}
