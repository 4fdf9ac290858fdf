namespace SocialCrm.Abstractions.Security;

/// <summary>
/// Marks a grain whose key starts with its brand id. An incoming call filter refuses any call to it
/// whose request context names another brand (or none), so one endpoint's bug cannot leak a tenant.
/// </summary>
public interface IBrandScopedGrain : IGrainWithStringKey;

/// <summary>The request-context slot that carries the caller's brand into every grain call.</summary>
public static class BrandContext
{
    public const string Key = "socialcrm.brand";

    public static string? Current => RequestContext.Get(Key) as string;

    /// <summary>Sets the calling brand for grain calls made from here on in this async flow.</summary>
    public static void Set(string brandId) => RequestContext.Set(Key, brandId);
}

/// <summary>A call reached a grain of another brand than the caller's: refused, and never expected.</summary>
[GenerateSerializer]
public sealed class BrandScopeViolationException : Exception
{
    public BrandScopeViolationException()
    {
    }

    public BrandScopeViolationException(string message) : base(message)
    {
    }
}

/// <summary>The request-context slot naming who acts (e.g. <c>agent:sam</c>), for the audit log.</summary>
public static class ActorContext
{
    public const string Key = "socialcrm.actor";

    public static string? Current => RequestContext.Get(Key) as string;

    public static void Set(string actor) => RequestContext.Set(Key, actor);
}
