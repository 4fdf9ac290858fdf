using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Brands;

/// <summary>The tenant: its name and API keys. Never on the per-message path.</summary>
public interface IBrandGrain : IBrandScopedGrain
{
    /// <summary>Creates the brand with its first admin key; a conflict when it exists.</summary>
    Task<Outcome<IssuedKey>> Create(string name);

    [ReadOnly]
    Task<BrandView?> Get();

    /// <summary>Issues a key; a bot key may be bound to one webhook, whose deliveries it may then read.</summary>
    Task<Outcome<IssuedKey>> IssueKey(string name, Role role, string? webhookId = null);

    Task<Outcome<bool>> RevokeKey(string keyId);

    [ReadOnly]
    Task<IReadOnlyList<ApiKeyView>> ListKeys();

    /// <summary>Remembers a channel id so the brand can list its channels.</summary>
    Task AddChannel(string channelId);

    [ReadOnly]
    Task<IReadOnlyList<string>> ChannelIds();

    /// <summary>Remembers a team id so the brand can list its teams.</summary>
    Task AddTeam(string teamId);

    Task RemoveTeam(string teamId);

    [ReadOnly]
    Task<IReadOnlyList<string>> TeamIds();

    /// <summary>The brand's bot webhooks (never their secrets), for the console's settings.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Bots.WebhookView>> Webhooks();

    [ReadOnly]
    Task<Privacy.BrandSettings> Settings();

    /// <summary>Stores the settings; a retention period also starts the daily purge reminder.</summary>
    Task<Outcome<Privacy.BrandSettings>> UpdateSettings(Privacy.BrandSettings settings);

    /// <summary>Purges message bodies older than the retention period now (the reminder calls this daily).</summary>
    Task<Outcome<Privacy.RetentionRun>> ApplyRetention();
}

[GenerateSerializer, Immutable]
public sealed record BrandView([property: Id(0)] string Id, [property: Id(1)] string Name, [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>A key as shown once, at creation: the only time its secret leaves the service.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Role Role,
    [property: Id(3)] string Key,
    [property: Id(4)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Role Role,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt);

/// <summary>
/// One API key, keyed by the SHA-256 of its secret (the secret itself is never stored). A single
/// activation cluster-wide makes a revocation take effect at once on every node.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    Task Define(ApiKeyIdentity identity);

    [ReadOnly]
    Task<ApiKeyIdentity?> Authenticate();

    Task Revoke();
}

/// <summary>Who a valid key speaks for.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyIdentity(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string BrandId,
    [property: Id(2)] string Name,
    [property: Id(3)] Role Role,
    [property: Id(4)] string? WebhookId = null);
