using Orleans.Dashboard;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Orleans' dashboard at <c>/dashboard</c>, for the operator only: it lists every grain of the
/// cluster, and grain ids carry every brand's ids, so no brand's key may open it, not even an admin's.
/// </summary>
public static class Dashboard
{
    public const string Path = OperatorLogin.PathPrefix;

    /// <summary>Off by default; <c>true</c> serves the dashboard (and its operator login).</summary>
    public const string EnabledKey = "Dashboard:Enabled";

    public static void MapSocialCrmDashboard(this WebApplication app)
    {
        app.MapOperatorLogin();
        app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(Policies.Operator).ExcludeFromDescription();
    }
}
