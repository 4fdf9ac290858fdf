using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Customers;

/// <summary>One person across all channels, keyed <c>{brandId}/{customerId}</c>.</summary>
public interface ICustomerGrain : IBrandScopedGrain
{
    /// <summary>Links a platform identity (idempotent); creates the customer on first use.</summary>
    Task AddIdentity(CustomerIdentity identity, string? displayName);

    [ReadOnly]
    Task<Outcome<CustomerView>> Get();
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
