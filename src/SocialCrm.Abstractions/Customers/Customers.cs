using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Customers;

/// <summary>One person across all channels, keyed <c>{brandId}/{customerId}</c>.</summary>
public interface ICustomerGrain : IBrandScopedGrain
{
    /// <summary>Links a platform identity (idempotent); creates the customer on first use.</summary>
    Task AddIdentity(CustomerIdentity identity, string? displayName);

    [ReadOnly]
    Task<Outcome<CustomerView>> Get();

    /// <summary>Appends to the consent history; the newest record per purpose is the current state.</summary>
    Task<Outcome<ConsentRecord>> RecordConsent(ConsentChange change);

    [ReadOnly]
    Task<Outcome<ConsentView>> Consents();

    /// <summary>Whether the purpose is granted now (an expired grant is not). Interleaves, so a
    /// conversation asking during an erasure that waits on that conversation cannot deadlock.</summary>
    [AlwaysInterleave]
    Task<bool> Allows(Purpose purpose);

    /// <summary>The purpose's state as a rule sees it: granted only while in effect (an expired grant is withdrawn-like: not granted), withdrawn, or unknown.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Consent.ConsentStatus> ConsentState(Purpose purpose);

    /// <summary>The name a rule's reply greets the customer by; null once erased. Interleaves for the same reason as <see cref="Allows"/>.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<string?> DisplayName();

    /// <summary>
    /// The customer's user id on the platform, where a reply to them is addressed; null once erased or
    /// when they have none there. Interleaves for the same reason as <see cref="Allows"/>.
    /// </summary>
    [ReadOnly, AlwaysInterleave]
    Task<string?> PlatformUserId(Platform platform);

    /// <summary>
    /// The person's mood over their messages: profiling, so only where they granted <c>profiling</c> or
    /// the brand relies on legitimate interest and they have not objected (audited; never stored).
    /// </summary>
    [ReadOnly]
    Task<Outcome<Insights.CustomerMood>> Mood();

    /// <summary>Everything held on the customer, as one document (audited).</summary>
    Task<Outcome<Privacy.CustomerExport>> Export();

    /// <summary>Erases the customer's personal data from every store; idempotent, and resumes if interrupted.</summary>
    Task<Outcome<Privacy.Erasure>> Erase();
}

/// <summary>
/// Maps a platform user to a customer, keyed <c>{brandId}/{platform}/{externalUserId}</c>; one per
/// identity, so resolving customers never funnels through one grain.
/// </summary>
public interface IIdentityGrain : IBrandScopedGrain
{
    Task<string> Resolve(string? displayName);

    /// <summary>Forgets the mapping (erasure): the next message from this identity starts a fresh customer.</summary>
    Task Forget(string customerId);

    /// <summary>
    /// Maps this identity to a known customer when it maps to none yet (a platform told us another id of
    /// theirs); returns the customer it maps to.
    /// </summary>
    Task<string> Link(string customerId);
}

[GenerateSerializer, Immutable]
public sealed record CustomerIdentity(
    [property: Id(0)] Platform Platform,
    [property: Id(1)] string ExternalUserId,
    [property: Id(2)] string? ChannelId);

[GenerateSerializer, Immutable]
public sealed record CustomerView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] IReadOnlyList<CustomerIdentity> Identities,
    [property: Id(3)] IReadOnlyList<string> ConversationIds,
    [property: Id(4)] DateTimeOffset CreatedAt);

public static class IdentityAddress
{
    public static string Of(string brandId, Platform platform, string externalUserId) =>
        Ids.Scoped(brandId, WireNames.Of(platform) + "/" + externalUserId);
}
