using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record IdentityResponse(string Platform, string ExternalUserId);

public sealed record CustomerResponse(
    string Id, string? DisplayName, IReadOnlyList<IdentityResponse> Identities, string? Segment,
    IReadOnlyDictionary<string, double> Metrics, long LoyaltyPoints, IReadOnlyList<string> ConversationIds, DateTimeOffset CreatedAt);

/// <summary>Customer profiles: one person across channels.</summary>
public static class CustomersApi
{
    public static void MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/brands/{brandId}/customers")
            .RequireAuthorization(Policies.For(Role.Admin, Role.Agent, Role.Compliance));
        group.MapGet("/{customerId}", Get).Produces<CustomerResponse>().ProducesProblem(404);
    }

    private static async Task<IResult> Get(string brandId, string customerId, IGrainFactory grains)
    {
        if (!Ids.IsValid(customerId)) return Problems.NotFound("Customer");
        var outcome = await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Get();
        return ResultsOf.Map(outcome, c => TypedResults.Ok(new CustomerResponse(
            c.Id, c.DisplayName,
            c.Identities.Select(i => new IdentityResponse(WireNames.Of(i.Platform), i.ExternalUserId)).ToList(),
            Segment: null, new Dictionary<string, double>(), 0, c.ConversationIds, c.CreatedAt)));
    }
}
