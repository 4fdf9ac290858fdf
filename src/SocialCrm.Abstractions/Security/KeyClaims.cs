namespace SocialCrm.Abstractions.Security;

/// <summary>Claim types an authenticated key carries, whether it came as a bearer header or a console sign-in.</summary>
public static class KeyClaims
{
    public const string Brand = "socialcrm:brand";
    public const string KeyId = "socialcrm:key";
    public const string Webhook = "socialcrm:webhook";

    /// <summary>The hash of the key (never the key), to ask the key's grain again whether it still works.</summary>
    public const string KeyHash = "socialcrm:key-hash";
}
