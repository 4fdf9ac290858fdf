using Microsoft.AspNetCore.DataProtection;
using Orleans.Serialization;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Grains.Security;

/// <summary>
/// Seals secrets before they reach storage and opens them for the grain that owns them, with ASP.NET
/// Core Data Protection (AES-256-CBC and HMAC-SHA256 under the key ring's current key). Each sealed
/// value is bound to its owner's grain key, so a sealed value copied into another row opens nowhere.
/// </summary>
public sealed class SecretSealer(IDataProtectionProvider provider, Serializer serializer)
{
    /// <summary>Marks a stored webhook secret as sealed; one without it was stored in clear by an earlier version.</summary>
    private const string SealedPrefix = "dp1:";

    private readonly IDataProtector _channels = provider.CreateProtector("SocialCrm.Channels.Secrets");
    private readonly IDataProtector _webhooks = provider.CreateProtector("SocialCrm.Webhooks.Secret");

    /// <summary>The whole record at once, whatever secrets it holds now or gains later.</summary>
    public byte[]? Seal(string channelKey, ChannelSecrets? secrets) =>
        secrets is null ? null : _channels.CreateProtector(channelKey).Protect(serializer.SerializeToArray(secrets));

    /// <exception cref="System.Security.Cryptography.CryptographicException">The key ring lacks or revoked the key it was sealed with.</exception>
    public ChannelSecrets Open(string channelKey, byte[] sealedSecrets) =>
        serializer.Deserialize<ChannelSecrets>(_channels.CreateProtector(channelKey).Unprotect(sealedSecrets))
        ?? throw new System.Security.Cryptography.CryptographicException("Sealed channel secrets held no record.");

    public string SealWebhookSecret(string webhookKey, string secret) =>
        SealedPrefix + _webhooks.CreateProtector(webhookKey).Protect(secret);

    /// <summary>The secret itself; a stored one without the mark is an earlier version's clear secret and is taken as it is.</summary>
    public string OpenWebhookSecret(string webhookKey, string stored) =>
        IsSealed(stored) ? _webhooks.CreateProtector(webhookKey).Unprotect(stored[SealedPrefix.Length..]) : stored;

    public static bool IsSealed(string stored) => stored.StartsWith(SealedPrefix, StringComparison.Ordinal);
}
