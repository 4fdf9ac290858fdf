using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Telemetry;

namespace SocialCrm.Grains.Conversations;

/// <summary>Consent in effect for what a conversation sends: asked of the customer grain, which holds it; every refusal is counted.</summary>
internal static class ConsentRule
{
    /// <summary>Why the customer's consent does not allow the purpose, or null; a conversation without a customer needs none.</summary>
    public static async Task<Refusal?> RefusalAsync(IGrainFactory grains, string brandId, string? customerId, Purpose purpose, string? detail = null)
    {
        if (customerId is null) return null;
        if (await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).Allows(purpose)) return null;
        SocialCrmMetrics.ConsentRefusals.Add(1, new KeyValuePair<string, object?>("purpose", WireNames.Of(purpose)));
        return new Refusal(RefusalKind.ConsentRequired, detail ?? $"The customer has not granted {WireNames.Of(purpose)} consent.");
    }
}
