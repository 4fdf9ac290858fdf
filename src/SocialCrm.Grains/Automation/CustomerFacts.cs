using SocialCrm.Abstractions.Customers;

namespace SocialCrm.Grains.Automation;

/// <summary>What a rule may ask of the customer, asked only when a rule has a condition on it.</summary>
internal sealed class CustomerFacts(IGrainFactory grains, string brandId, string? customerId) : IRuleFactSource
{
    public async ValueTask<string> ConsentStatus(string purposeWire) =>
        customerId is null || !WireNames.TryParse<Purpose>(purposeWire, out var purpose) ? "unknown"
            : WireNames.Of(await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).ConsentState(purpose));

    // Segments come with the relationships issue; until then a customer is in none (and a segment condition is refused on save).
    public ValueTask<IReadOnlyCollection<string>> Segments() => new([]);
}
