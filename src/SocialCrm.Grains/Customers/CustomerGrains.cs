using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Persistence.Customers;

namespace SocialCrm.Grains.Customers;

[GenerateSerializer]
public sealed class CustomerState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string? DisplayName { get; set; }
    [Id(2)] public List<CustomerIdentity> Identities { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Append-only: the newest record of a purpose is its current state.</summary>
    [Id(4)] public List<ConsentRecord> ConsentHistory { get; set; } = [];
}

/// <summary>One person across channels. Their conversations come from the participants projection,
/// written in the same transaction as their messages, so the profile never misses one.</summary>
public sealed class CustomerGrain(
    [PersistentState("customer", GrainStorage.Name)] IPersistentState<CustomerState> state,
    CustomerDirectory directory,
    TimeProvider clock) : Grain, ICustomerGrain
{
    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());

    private string CustomerId => Ids.LocalPart(this.GetPrimaryKeyString());

    async Task ICustomerGrain.AddIdentity(CustomerIdentity identity, string? displayName)
    {
        var changed = false;
        if (!state.State.Exists)
        {
            state.State.Exists = true;
            state.State.CreatedAt = clock.GetUtcNow();
            changed = true;
        }
        if (!state.State.Identities.Any(i => i.Platform == identity.Platform && i.ExternalUserId == identity.ExternalUserId))
        {
            state.State.Identities.Add(identity);
            changed = true;
        }
        if (!string.IsNullOrWhiteSpace(displayName) && state.State.DisplayName != displayName)
        {
            state.State.DisplayName = displayName;
            changed = true;
        }
        if (changed) await state.WriteStateAsync();
    }

    async Task<Outcome<ConsentRecord>> ICustomerGrain.RecordConsent(ConsentChange change)
    {
        if (!state.State.Exists) return Refusal.NotFound("Customer");
        var record = new ConsentRecord(change.Purpose, change.Status, change.LawfulBasis, change.Source, change.Evidence,
            change.PolicyVersion, change.ExpiresAt, change.RecordedBy, clock.GetUtcNow());
        state.State.ConsentHistory.Add(record);
        await state.WriteStateAsync();
        return record;
    }

    Task<Outcome<ConsentView>> ICustomerGrain.Consents()
    {
        if (!state.State.Exists) return Task.FromResult<Outcome<ConsentView>>(Refusal.NotFound("Customer"));
        var history = state.State.ConsentHistory;
        var current = history.GroupBy(r => r.Purpose).ToDictionary(g => g.Key, g => g.Last());
        return Task.FromResult<Outcome<ConsentView>>(new ConsentView(current, history.ToList()));
    }

    Task<bool> ICustomerGrain.Allows(Purpose purpose)
    {
        var latest = state.State.ConsentHistory.LastOrDefault(r => r.Purpose == purpose);
        return Task.FromResult(latest is not null && latest.Allows(clock.GetUtcNow()));
    }

    async Task<Outcome<CustomerView>> ICustomerGrain.Get()
    {
        if (!state.State.Exists) return Refusal.NotFound("Customer");
        var conversations = await directory.ConversationsOfAsync(BrandId, CustomerId);
        return new CustomerView(CustomerId, state.State.DisplayName, state.State.Identities.ToList(), conversations, state.State.CreatedAt);
    }
}

[GenerateSerializer]
public sealed class IdentityState
{
    [Id(0)] public string? CustomerId { get; set; }
}

/// <summary>Maps one platform user to a customer, creating the customer on first contact.</summary>
public sealed class IdentityGrain(
    [PersistentState("identity", GrainStorage.Name)] IPersistentState<IdentityState> state) : Grain, IIdentityGrain
{
    async Task<string> IIdentityGrain.Resolve(string? displayName)
    {
        if (state.State.CustomerId is { } known) return known;
        var key = this.GetPrimaryKeyString();
        var brandId = Ids.BrandOf(key);
        var rest = Ids.LocalPart(key);
        var slash = rest.IndexOf('/');
        if (!WireNames.TryParse<Platform>(rest[..slash], out var platform))
            throw new InvalidOperationException("Identity key without a platform.");
        var customerId = Ids.New("cu");
        // The customer exists before the mapping does: a crash in between leaves an unused profile, never a dangling id.
        await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId))
            .AddIdentity(new CustomerIdentity(platform, rest[(slash + 1)..], null), displayName);
        state.State.CustomerId = customerId;
        await state.WriteStateAsync();
        return customerId;
    }
}
