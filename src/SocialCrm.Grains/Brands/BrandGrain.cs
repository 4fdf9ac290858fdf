using SocialCrm.Abstractions.Brands;

namespace SocialCrm.Grains.Brands;

[GenerateSerializer]
public sealed class BrandState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public List<StoredKey> Keys { get; set; } = [];
    [Id(4)] public List<string> ChannelIds { get; set; } = [];
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

/// <summary>The tenant: its name, API keys and channel list. Never on the per-message path.</summary>
public sealed class BrandGrain(
    [PersistentState("brand", GrainStorage.Name)] IPersistentState<BrandState> state,
    TimeProvider clock) : Grain, IBrandGrain
{
    private string BrandId => this.GetPrimaryKeyString();

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

    async Task<Outcome<IssuedKey>> IBrandGrain.IssueKey(string name, Role role)
    {
        if (!state.State.Exists) return Refusal.NotFound("Brand");
        return await IssueKeyAsync(name, role);
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

    private async Task<IssuedKey> IssueKeyAsync(string name, Role role)
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
        await GrainFactory.GetGrain<IApiKeyGrain>(stored.Hash).Define(new ApiKeyIdentity(stored.Id, BrandId, name, role));
        return new IssuedKey(stored.Id, name, role, secret);
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
