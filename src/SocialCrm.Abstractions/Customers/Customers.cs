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

    /// <summary>Whether the purpose is granted now (an expired grant is not).</summary>
    [ReadOnly]
    Task<bool> Allows(Purpose purpose);
}

/// <summary>
/// Maps a platform user to a customer, keyed <c>{brandId}/{platform}/{externalUserId}</c>; one per
/// identity, so resolving customers never funnels through one grain.
/// </summary>
public interface IIdentityGrain : IBrandScopedGrain
{
    Task<string> Resolve(string? displayName);
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
