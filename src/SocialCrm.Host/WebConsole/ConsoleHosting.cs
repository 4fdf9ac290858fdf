using SocialCrm.Web;

namespace SocialCrm.Host.WebConsole;

/// <summary>The web console at <c>/app</c>, served by this host: its pages, its sign-in, its assets and its security headers.</summary>
public static class ConsoleHosting
{
    // Scripts only from this host, none inline; MudBlazor sets element styles, which CSP can only allow as a whole.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static void AddSocialCrmConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddSocialCrmConsole();
        // The console's assets (MudBlazor's and its own) are served from the build's manifest when not published.
        builder.WebHost.UseStaticWebAssets();
    }

    public static void UseConsoleSecurityHeaders(this WebApplication app) => app.Use((http, next) =>
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/app") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework")
            || path.StartsWithSegments("/_content"))
        {
            // Set as the response starts, so that an error page written after a failure carries them too.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                if (path.StartsWithSegments("/app")) headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
        }
        return next(http);
    });

    public static void MapSocialCrmConsole(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapConsoleSignIn();
        app.MapConsoleDownloads();
        app.MapRazorComponents<App>()
            // Our own policy above says frame-ancestors 'none'; Blazor's default would add a second, laxer header.
            .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null)
            .RequireAuthorization(ConsoleSignIn.Policy);
    }
}
