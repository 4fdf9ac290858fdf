using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SocialCrm.Grains.Brands;
using SocialCrm.Host.Api;

namespace SocialCrm.Host.Auth;

/// <summary>
/// How the operator reaches operator-only pages from a browser, which sends no bearer header on
/// navigation: a login form takes the bootstrap key once and issues a short-lived cookie that is
/// sent, and accepted, only under <see cref="PathPrefix"/>.
/// </summary>
public static class OperatorLogin
{
    public const string Scheme = "OperatorCookie";
    public const string PathPrefix = "/dashboard";
    public const string LoginPath = PathPrefix + "/login";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public static AuthenticationBuilder AddOperatorCookie(this AuthenticationBuilder authentication)
    {
        authentication.Services.AddAntiforgery(o =>
        {
            // The operator's login and the web console (/app) both post forms.
            o.Cookie.Path = "/";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "socialcrm-operator";
            o.Cookie.Path = PathPrefix;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Fixed, not sliding: the dashboard polls every second and would otherwise keep it alive forever.
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = context =>
            {
                if (!context.Request.Path.StartsWithSegments(PathPrefix)) context.RejectPrincipal();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>Browsers navigating get the login page; tools get problem details.</summary>
    public static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    public static IResult RedirectToLogin() => TypedResults.Redirect(LoginPath);

    public static void MapOperatorLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoginPath, (HttpContext http, IAntiforgery antiforgery) => LoginPage(http, antiforgery, error: null, HttpStatusCode.OK))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost(LoginPath, SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    // Anti-forgery is checked here rather than by the middleware so a failure is a problem with the contract's slug.
    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, BootstrapKey bootstrapKey, SignInThrottle throttle)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
            return Problems.Validation(new Dictionary<string, string[]> { ["form"] = ["must come from the login page (anti-forgery token)."] });
        // Paid for before the key is compared, as bearer keys are (SignInThrottle), and given back when it is right.
        if (!throttle.TryTake(http, out var retryAfter)) return SignInThrottle.Refusal(http, retryAfter);
        var form = await http.Request.ReadFormAsync();
        string? key = form["key"];
        if (string.IsNullOrWhiteSpace(key) || key.Length > 256 || !bootstrapKey.Matches(ApiKeySecrets.Hash(key.Trim())))
        {
            return WantsHtml(http.Request)
                ? LoginPage(http, antiforgery, "That is not the operator key.", HttpStatusCode.Unauthorized)
                : Problems.Unauthenticated("That is not the operator key.");
        }
        throttle.GiveBack(http);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(ApiKeyClaims.Operator(Scheme, "operator")));
        // 303: the browser follows a form post with a GET.
        http.Response.Headers.Location = PathPrefix + "/";
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult LoginPage(HttpContext http, IAntiforgery antiforgery, string? error, HttpStatusCode status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        var message = error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>SocialCrm operator login</title></head>
            <body>
            <h1>Orleans dashboard</h1>
            <p>Sign in with the operator's bootstrap key. Brand keys do not open the dashboard.</p>
            {message}
            <form method="post" action="{LoginPath}">
              <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
              <label>Key <input type="password" name="key" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            </body></html>
            """;
        return TypedResults.Content(page, "text/html; charset=utf-8", statusCode: (int)status);
    }
}
