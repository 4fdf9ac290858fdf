using SocialCrm.Abstractions.Insights;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Persistence.Insights;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Grains.Consent;
using SocialCrm.Grains.Conversations;
using SocialCrm.Grains.Privacy;
using SocialCrm.Persistence.Customers;
using SocialCrm.Persistence.Privacy;
using SocialCrm.Persistence.Webhooks;

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
    /// <summary>Set before the first erasure step and cleared after the last, so a crash in between resumes.</summary>
    [Id(5)] public bool Erasing { get; set; }
    /// <summary>The tombstone: when set, nothing else about the customer remains.</summary>
    [Id(6)] public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>
/// One person across channels: identities, profile and consent history. Reads and changes of their
/// personal data are audited here, so no path skips the log. Their conversations come from the
/// participants projection, written in the same transaction as their messages.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", GrainStorage.Name)] IPersistentState<CustomerState> state,
    CustomerDirectory directory,
    PrivacyStore privacy,
    WebhookStore webhooks,
    InsightStore insights,
    TimeProvider clock) : Grain, ICustomerGrain
{
    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());

    private string CustomerId => Ids.LocalPart(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Erasing) await EraseStepsAsync();
    }

    async Task ICustomerGrain.AddIdentity(CustomerIdentity identity, string? displayName)
    {
        if (state.State.ErasedAt is not null) throw new InvalidOperationException("An erased customer takes no new identities.");
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
        if (!changed) return;
        await state.WriteStateAsync();
        await privacy.RecordCustomerAsync(BrandId, CustomerId, state.State.CreatedAt.ToUnixTimeMilliseconds(), SearchNames.Key(state.State.DisplayName));
    }

    async Task<Outcome<CustomerView>> ICustomerGrain.Get()
    {
        if (Unavailable() is { } refusal) return refusal;
        await Audit.RecordAsync(GrainFactory, BrandId, "profile.read", CustomerId, "customers/" + CustomerId);
        return await ViewAsync();
    }

    async Task<Outcome<ConsentRecord>> ICustomerGrain.RecordConsent(ConsentChange change)
    {
        if (Unavailable() is { } refusal) return refusal;
        if (!LawfulBasis.IsKnown(change.LawfulBasis)) return Refusal.Invalid("lawfulBasis", LawfulBasis.Refusal);
        var record = new ConsentRecord(change.Purpose, change.Status, change.LawfulBasis, change.Source, change.Evidence,
            change.PolicyVersion, change.ExpiresAt, change.RecordedBy, clock.GetUtcNow());
        state.State.ConsentHistory.Add(record);
        await state.WriteStateAsync();
        await privacy.RecordConsentAsync(BrandId, CustomerId, WireNames.Of(record.Purpose), WireNames.Of(record.Status), record.LawfulBasis,
            record.Source, record.PolicyVersion, record.RecordedAt.ToUnixTimeMilliseconds(), record.ExpiresAt?.ToUnixTimeMilliseconds());
        await Audit.RecordAsync(GrainFactory, BrandId, "consent.change", CustomerId,
            $"consents/{WireNames.Of(record.Purpose)}:{WireNames.Of(record.Status)}");
        return record;
    }

    async Task<Outcome<ConsentView>> ICustomerGrain.Consents()
    {
        if (Unavailable() is { } refusal) return refusal;
        await Audit.RecordAsync(GrainFactory, BrandId, "consent.read", CustomerId, "customers/" + CustomerId + "/consents");
        return ConsentView();
    }

    Task<bool> ICustomerGrain.Allows(Purpose purpose)
    {
        if (!state.State.Exists || state.State.ErasedAt is not null) return Task.FromResult(false);
        var latest = state.State.ConsentHistory.LastOrDefault(r => r.Purpose == purpose);
        return Task.FromResult(latest is not null && latest.Allows(clock.GetUtcNow()));
    }

    Task<ConsentStatus> ICustomerGrain.ConsentState(Purpose purpose)
    {
        if (!state.State.Exists || state.State.ErasedAt is not null) return Task.FromResult(ConsentStatus.Unknown);
        var latest = state.State.ConsentHistory.LastOrDefault(r => r.Purpose == purpose);
        return Task.FromResult(latest is null ? ConsentStatus.Unknown
            : latest.Allows(clock.GetUtcNow()) ? ConsentStatus.Granted
            : latest.Status == ConsentStatus.Granted ? ConsentStatus.Unknown : latest.Status);
    }

    Task<string?> ICustomerGrain.DisplayName() =>
        Task.FromResult(state.State.ErasedAt is null ? state.State.DisplayName : null);

    async Task<Outcome<CustomerMood>> ICustomerGrain.Mood()
    {
        if (Unavailable() is { } refusal) return refusal;
        var now = clock.GetUtcNow();
        var latest = state.State.ConsentHistory.LastOrDefault(r => r.Purpose == Purpose.Profiling);
        string basis;
        if (latest is not null && latest.Allows(now)) basis = "consent";
        else if (latest?.Status != ConsentStatus.Withdrawn
                 && (await GrainFactory.GetGrain<IBrandGrain>(BrandId).Settings()).ProfilingByLegitimateInterest) basis = "legitimate-interest";
        else return new Refusal(RefusalKind.ConsentRequired,
            "Profiling this customer is not allowed: they have not granted profiling consent, or they objected to it.");
        await Audit.RecordAsync(GrainFactory, BrandId, "profile.mood.read", CustomerId, "customers/" + CustomerId + "/mood");
        var row = await insights.CustomerMoodAsync(BrandId, CustomerId, now.AddDays(-30).ToUnixTimeMilliseconds());
        var messages = row?.Messages ?? 0;
        var recent = row?.RecentMessages ?? 0;
        return new CustomerMood(messages, row?.Positive ?? 0, messages - (row?.Positive ?? 0) - (row?.Negative ?? 0), row?.Negative ?? 0,
            messages == 0 ? null : Math.Round(row!.ScoreSum / messages, 4), recent,
            recent == 0 ? null : Math.Round(row!.RecentScoreSum / recent, 4), basis);
    }

    // Not audited: the service addressing a reply an agent or bot wrote reads no more than it sends to.
    Task<string?> ICustomerGrain.PlatformUserId(Platform platform) =>
        Task.FromResult(Unavailable() is null ? state.State.Identities.LastOrDefault(i => i.Platform == platform)?.ExternalUserId : null);

    async Task<Outcome<CustomerExport>> ICustomerGrain.Export()
    {
        if (Unavailable() is { } refusal) return refusal;
        var profile = await ViewAsync();
        var conversations = new List<ExportedConversation>();
        var messages = new List<MessageView>();
        string? current = null;
        await foreach (var m in privacy.ExportMessagesAsync(BrandId, CustomerId))
        {
            if (m.ConversationId != current && current is not null)
            {
                conversations.Add(await ExportedConversationAsync(current, messages));
                messages = [];
            }
            current = m.ConversationId;
            messages.Add(MessageViews.Of(m));
        }
        if (current is not null) conversations.Add(await ExportedConversationAsync(current, messages));

        var audit = new List<AuditEntry>();
        var auditGrain = GrainFactory.GetGrain<IAuditGrain>(BrandId);
        long after = 0;
        while (true)
        {
            var page = await auditGrain.List(new AuditQuery(CustomerId, null, null, null, after, 1000));
            audit.AddRange(page.Items);
            if (page.NextAfterSeq is not { } next) break;
            after = next;
        }
        // The export itself is audited, after the entries it lists.
        await Audit.RecordAsync(GrainFactory, BrandId, "customer.export", CustomerId, "customers/" + CustomerId + "/export");
        return new CustomerExport(profile, state.State.ConsentHistory.ToList(), conversations, audit, clock.GetUtcNow());
    }

    async Task<Outcome<Erasure>> ICustomerGrain.Erase()
    {
        if (!state.State.Exists) return Refusal.NotFound("Customer");
        if (state.State.ErasedAt is { } erasedAt && !state.State.Erasing) return new Erasure(CustomerId, erasedAt);
        if (!state.State.Erasing)
        {
            state.State.Erasing = true;
            state.State.ErasedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
        }
        await EraseStepsAsync();
        return new Erasure(CustomerId, state.State.ErasedAt!.Value);
    }

    /// <summary>Each step is idempotent; the state says "erasing" until the last one is done.</summary>
    private async Task EraseStepsAsync()
    {
        var erasedAt = state.State.ErasedAt ?? clock.GetUtcNow();
        foreach (var identity in state.State.Identities)
            await GrainFactory.GetGrain<IIdentityGrain>(IdentityAddress.Of(BrandId, identity.Platform, identity.ExternalUserId)).Forget(CustomerId);
        var privateConversations = await privacy.PrivateConversationsOfAsync(BrandId, CustomerId);
        await privacy.EraseCustomerAsync(BrandId, CustomerId, erasedAt.ToUnixTimeMilliseconds());
        foreach (var conversationId in privateConversations)
            await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(BrandId, conversationId)).ForgetCustomer(CustomerId);
        await Audit.RecordAsync(GrainFactory, BrandId, "customer.erase", CustomerId, "customers/" + CustomerId);
        // Bots hear of it, so they can erase what they hold: the payload is the id alone.
        var notified = await webhooks.EmitAsync(BrandId, new WebhookEvent(EventTypes.CustomerErased, "", 0, null,
            System.Text.Json.JsonSerializer.Serialize(new { customerId = CustomerId, erasedAt }, System.Text.Json.JsonSerializerOptions.Web),
            erasedAt.ToUnixTimeMilliseconds()));
        foreach (var webhookId in notified) GrainFactory.GetGrain<IWebhookGrain>(Ids.Scoped(BrandId, webhookId)).Kick().Ignore();
        // The tombstone replaces the profile; then the embedded database drops the old bytes for good.
        state.State = new CustomerState { Exists = true, ErasedAt = erasedAt, CreatedAt = state.State.CreatedAt };
        await state.WriteStateAsync();
        await privacy.ScrubFreedSpaceAsync();
    }

    private Refusal? Unavailable() =>
        !state.State.Exists ? Refusal.NotFound("Customer")
        : state.State.ErasedAt is not null ? new Refusal(RefusalKind.Erased, "The customer was erased.")
        : null;

    private async Task<CustomerView> ViewAsync()
    {
        var conversations = await directory.ConversationsOfAsync(BrandId, CustomerId);
        return new CustomerView(CustomerId, state.State.DisplayName, state.State.Identities.ToList(), conversations, state.State.CreatedAt);
    }

    private ConsentView ConsentView()
    {
        var history = state.State.ConsentHistory;
        var current = history.GroupBy(r => r.Purpose).ToDictionary(g => g.Key, g => g.Last());
        return new ConsentView(current, history.ToList());
    }

    private async Task<ExportedConversation> ExportedConversationAsync(string conversationId, List<MessageView> messages)
    {
        var view = await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(BrandId, conversationId)).Get();
        return new ExportedConversation(view.Value!, messages);
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
    Task<string> IIdentityGrain.Resolve(string? displayName) => MapAsync(Ids.New("cu"), displayName);

    Task<string> IIdentityGrain.Link(string customerId) => MapAsync(customerId, displayName: null);

    private async Task<string> MapAsync(string customerId, string? displayName)
    {
        if (state.State.CustomerId is { } known) return known;
        var key = this.GetPrimaryKeyString();
        var brandId = Ids.BrandOf(key);
        var rest = Ids.LocalPart(key);
        var slash = rest.IndexOf('/');
        if (!WireNames.TryParse<Platform>(rest[..slash], out var platform))
            throw new InvalidOperationException("Identity key without a platform.");
        // The customer holds the identity before the mapping does: a crash in between leaves an unused profile, never a dangling id.
        await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId))
            .AddIdentity(new CustomerIdentity(platform, rest[(slash + 1)..], null), displayName);
        state.State.CustomerId = customerId;
        await state.WriteStateAsync();
        return customerId;
    }

    async Task IIdentityGrain.Forget(string customerId)
    {
        if (state.State.CustomerId != customerId) return;
        // The storage deletes the row (DeleteStateOnClear): its key is the platform's user id, a phone number on WhatsApp.
        await state.ClearStateAsync();
        state.State = new IdentityState();
        // The next contact starts from storage, where no row of this identity is left.
        this.DeactivateOnIdle();
    }
}
