using System.Security.Claims;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Web.Session;

/// <summary>Who is signed in to the console: a brand's API key of a role with a screen (admin, agent, compliance).</summary>
public sealed record ConsoleUser(string BrandId, Role Role, string Name, string KeyHash, string SessionId, DateTimeOffset SignedInAt)
{
    /// <summary>The random id of this sign-in, which signing out ends everywhere.</summary>
    public const string SessionClaim = "socialcrm:console-session";

    /// <summary>When the key was typed in (Unix milliseconds): no session lasts longer than the configured maximum.</summary>
    public const string SignedInClaim = "socialcrm:console-signed-in";

    /// <summary>The roles that may sign in to the console; bots and ingest gateways have no screen.</summary>
    public static readonly Role[] ConsoleRoles = [Role.Admin, Role.Agent, Role.Compliance];

    public bool May(Role[] set) => set.Allows(Role);

    /// <summary>How the conversation sees a console user: always a person, by the key's name.</summary>
    public Actor Actor => new(AuthorType.Agent, Name);

    /// <summary>How the audit log names who acted: role and key name, never the key.</summary>
    public string AuditName => WireNames.Of(Role) + ":" + Name;

    public static ConsoleUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var brand = principal.FindFirst(KeyClaims.Brand)?.Value;
        var hash = principal.FindFirst(KeyClaims.KeyHash)?.Value;
        var name = principal.FindFirst(ClaimTypes.Name)?.Value;
        var session = principal.FindFirst(SessionClaim)?.Value;
        var signedIn = long.TryParse(principal.FindFirst(SignedInClaim)?.Value, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        var role = ConsoleRoles.Where(r => principal.IsInRole(WireNames.Of(r))).Cast<Role?>().FirstOrDefault();
        return brand is null || hash is null || name is null || role is null || session is null || signedIn is null
            ? null
            : new ConsoleUser(brand, role.Value, name, hash, session, signedIn.Value);
    }
}
