using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Privacy;
using SocialCrm.Persistence.Brands;
using SocialCrm.Persistence.Privacy;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Brands;

[GenerateSerializer]
public sealed class BrandState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public List<StoredKey> Keys { get; set; } = [];
    [Id(4)] public List<string> ChannelIds { get; set; } = [];
    [Id(5)] public BrandSettings Settings { get; set; } = BrandSettings.Default;
    [Id(6)] public RetentionRun? LastRetentionRun { get; set; }
    [Id(7)] public List<string> TeamIds { get; set; } = [];
}

/// <summary>A key as the brand remembers it: its hash, never its secret.</summary>
[GenerateSerializer]
public sealed class StoredKey
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public Role Role { get; set; }
    [Id(3)] public string Hash { get; set; } = "";
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// The tenant: its name, API keys, channel list and privacy settings, and the daily retention
/// reminder. Never on the per-message path.
/// </summary>
public sealed class BrandGrain(
    [PersistentState("brand", GrainStorage.Name)] IPersistentState<BrandState> state,
    PrivacyStore privacy,
    ApiKeyIndex keyIndex,
    WebhookStore webhooks,
    TimeProvider clock) : Grain, IBrandGrain, IRemindable
{
    public const string RetentionReminder = "retention";

    private string BrandId => this.GetPrimaryKeyString();

    Task<BrandSettings> IBrandGrain.Settings() => Task.FromResult(state.State.Settings);

    async Task<Outcome<BrandSettings>> IBrandGrain.UpdateSettings(BrandSettings settings)
    {
        if (!state.State.Exists) return Refusal.NotFound("Brand");
        state.State.Settings = settings;
        await state.WriteStateAsync();
        if (settings.RetentionDays is not null)
            await this.RegisterOrUpdateReminder(RetentionReminder, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        else if (await this.GetReminder(RetentionReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
        await Audit.RecordAsync(GrainFactory, BrandId, "settings.change", null, "brands/" + BrandId + "/settings");
        return settings;
    }

    Task<Outcome<RetentionRun>> IBrandGrain.ApplyRetention() => ApplyRetentionAsync();

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder) return;
        // Reminder turns carry no request context: the brand acts for itself, as the system.
        BrandContext.Set(BrandId);
        ActorContext.Set("system:retention");
        await ApplyRetentionAsync();
    }

    private async Task<Outcome<RetentionRun>> ApplyRetentionAsync()
    {
        if (!state.State.Exists) return Refusal.NotFound("Brand");
        if (state.State.Settings.RetentionDays is not { } days) return Refusal.Invalid("retentionDays", "The brand has no retention period.");
        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(days);
        var purged = await privacy.PurgeMessagesBeforeAsync(BrandId, cutoff.ToUnixTimeMilliseconds());
        if (purged > 0) await privacy.ScrubFreedSpaceAsync();
        await Audit.RecordAsync(GrainFactory, BrandId, "retention.purge", null, $"messages:{purged} before {cutoff:O}");
        var run = new RetentionRun(cutoff, purged, now);
        state.State.LastRetentionRun = run;
        await state.WriteStateAsync();
        return run;
    }

    async Task<Outcome<IssuedKey>> IBrandGrain.Create(string name)
    {
        if (state.State.Exists) return Refusal.Conflict($"Brand '{BrandId}' already exists.");
        state.State.Exists = true;
        state.State.Name = name;
        state.State.CreatedAt = clock.GetUtcNow();
        return await IssueKeyAsync("admin", Role.Admin);
    }

    Task<BrandView?> IBrandGrain.Get() =>
        Task.FromResult(state.State.Exists ? new BrandView(BrandId, state.State.Name, state.State.CreatedAt) : null);

    async Task<Outcome<IssuedKey>> IBrandGrain.IssueKey(string name, Role role, string? webhookId)
    {
        if (!state.State.Exists) return Refusal.NotFound("Brand");
        return await IssueKeyAsync(name, role, webhookId);
    }

    async Task<Outcome<bool>> IBrandGrain.RevokeKey(string keyId)
    {
        var key = state.State.Keys.Find(k => k.Id == keyId);
        if (key is null) return Refusal.NotFound("API key");
        // The key grain first: if anything fails after, the key is already refused (fail closed).
        await GrainFactory.GetGrain<IApiKeyGrain>(key.Hash).Revoke();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
            await Audit.RecordAsync(GrainFactory, BrandId, "key.revoke", null, "api-keys/" + key.Id);
        }
        return true;
    }

    Task<IReadOnlyList<ApiKeyView>> IBrandGrain.ListKeys() =>
        Task.FromResult<IReadOnlyList<ApiKeyView>>(
            state.State.Keys.Select(k => new ApiKeyView(k.Id, k.Name, k.Role, k.CreatedAt, k.RevokedAt)).ToList());

    async Task IBrandGrain.AddChannel(string channelId)
    {
        if (state.State.ChannelIds.Contains(channelId)) return;
        state.State.ChannelIds.Add(channelId);
        await state.WriteStateAsync();
    }

    Task<IReadOnlyList<string>> IBrandGrain.ChannelIds() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.ChannelIds.ToList());

    async Task IBrandGrain.AddTeam(string teamId)
    {
        if (state.State.TeamIds.Contains(teamId)) return;
        state.State.TeamIds.Add(teamId);
        await state.WriteStateAsync();
    }

    async Task IBrandGrain.RemoveTeam(string teamId)
    {
        if (state.State.TeamIds.Remove(teamId)) await state.WriteStateAsync();
    }

    Task<IReadOnlyList<string>> IBrandGrain.TeamIds() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.TeamIds.ToList());

    async Task<IReadOnlyList<WebhookView>> IBrandGrain.Webhooks() =>
        (await webhooks.SubscriptionsAsync(BrandId)).OrderBy(w => w.Id, StringComparer.Ordinal)
            .Select(w => new WebhookView(w.Id, w.Url, w.Events.Order(StringComparer.Ordinal).ToList())).ToList();

    private async Task<IssuedKey> IssueKeyAsync(string name, Role role, string? webhookId = null)
    {
        var secret = ApiKeySecrets.NewSecret();
        var stored = new StoredKey
        {
            Id = Ids.New("key"),
            Name = name,
            Role = role,
            Hash = ApiKeySecrets.Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        // Remember the key before it can work, so every working key can be listed and revoked.
        state.State.Keys.Add(stored);
        await state.WriteStateAsync();
        await keyIndex.AddAsync(stored.Hash);
        await GrainFactory.GetGrain<IApiKeyGrain>(stored.Hash).Define(new ApiKeyIdentity(stored.Id, BrandId, name, role, webhookId));
        await Audit.RecordAsync(GrainFactory, BrandId, "key.create", null, $"api-keys/{stored.Id}:{WireNames.Of(role)}");
        return new IssuedKey(stored.Id, name, role, secret, stored.CreatedAt);
    }
}

[GenerateSerializer]
public sealed class ApiKeyState
{
    [Id(0)] public ApiKeyIdentity? Identity { get; set; }
    [Id(1)] public bool Revoked { get; set; }
}

/// <summary>One API key, keyed by the hash of its secret; one activation cluster-wide, so revocation is immediate.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", GrainStorage.Name)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    async Task IApiKeyGrain.Define(ApiKeyIdentity identity)
    {
        if (state.State.Identity is not null) return;
        state.State.Identity = identity;
        await state.WriteStateAsync();
    }

    Task<ApiKeyIdentity?> IApiKeyGrain.Authenticate() =>
        Task.FromResult(state.State.Revoked ? null : state.State.Identity);

    async Task IApiKeyGrain.Revoke()
    {
        if (state.State.Revoked) return;
        state.State.Revoked = true;
        await state.WriteStateAsync();
    }
}
