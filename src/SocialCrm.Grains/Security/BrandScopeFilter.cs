using SocialCrm.Abstractions.Security;

namespace SocialCrm.Grains.Security;

/// <summary>
/// Deny by default: a call to a brand-scoped grain goes through only when the caller's brand (carried
/// in the request context) is the brand in the grain's key. The API checks the brand at the route
/// too; this second check holds even where an endpoint gets it wrong.
/// </summary>
public sealed class BrandScopeFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var declaringInterface = context.InterfaceMethod?.DeclaringType;
        if (declaringInterface is not null && typeof(IBrandScopedGrain).IsAssignableFrom(declaringInterface))
        {
            var grainBrand = Ids.BrandOf(context.TargetId.Key.ToString()!);
            var callerBrand = BrandContext.Current;
            if (callerBrand is null || !string.Equals(callerBrand, grainBrand, StringComparison.Ordinal))
                throw new BrandScopeViolationException($"A call to {declaringInterface.Name} was refused: it belongs to another brand.");
        }
        return context.Invoke();
    }
}
