using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;
using SocialCrm.Grains.Brands;
using SocialCrm.Host.Auth;
using SocialCrm.Web.Session;

namespace SocialCrm.Host.WebConsole;

/// <summary>
/// How a person signs in to the web console: a brand key of role admin, agent or compliance, typed once
/// into the sign-in form (never in a URL), becomes a cookie session. The cookie carries the key's hash,
/// never the key, and every request asks the key's grain again, so a revoked key's session ends at its
/// next request; the console's circuit asks again at every action (<see cref="ConsoleSession"/>).
/// </summary>
public static class ConsoleSignIn
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string SignInPath = "/app/login";

    /// <summary>Where a role starts: people who answer customers in the inbox, compliance officers at their reports.</summary>
    private static string HomeOf(Role role) => role == Role.Compliance ? "/app/compliance" : "/app/inbox";

    public static AuthenticationBuilder AddConsoleCookie(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var minutes = Math.Max(1, configuration.GetValue($"{ConsoleOptions.Section}:{nameof(ConsoleOptions.SessionMinutes)}", new ConsoleOptions().SessionMinutes));
        return authentication.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "socialcrm-console";
            // The console's circuit (/_blazor) and its pages must both carry it; the API never accepts it.
            o.Cookie.Path = "/";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(minutes);
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.Events.OnValidatePrincipal = ValidateAsync;
            // A script's request (the circuit's negotiation) is told 401; only a page navigation is sent to the form.
            o.Events.OnRedirectToLogin = context =>
            {
                if (OperatorLogin.WantsHtml(context.Request)) context.Response.Redirect(SignInPath);
                else context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
    }

    public static void AddConsolePolicy(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder) =>
        builder.AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
            .RequireRole(ConsoleUser.ConsoleRoles.Select(r => WireNames.Of(r)).ToArray()));

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<ConsoleSessionCheck>();
        if (context.Principal is not null && ConsoleUser.From(context.Principal) is { } user && await check.IsInEffectAsync(user)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    public static void MapConsoleSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/app/sign-in", SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/app/sign-out", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    // Anti-forgery is checked here rather than by the middleware so that a failure is a problem with the contract's slug.
    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, KnownApiKeys knownKeys,
        SignInThrottle throttle, IGrainFactory grains, TimeProvider clock)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
            return Api.Problems.Validation(new Dictionary<string, string[]> { ["form"] = ["must come from the sign-in page (anti-forgery token)."] });
        var form = await http.Request.ReadFormAsync();
        var key = form["key"].ToString().Trim();
        var returnUrl = form["returnUrl"].ToString();
        var hash = key.Length is > 0 and <= 256 ? ApiKeySecrets.Hash(key) : null;
        // Paid for before the key is tested, as bearer keys are, and given back when it works; a key this node
        // has seen work is not throttled, so a guesser behind a shared address cannot lock its owners out.
        var paid = hash is null || !knownKeys.IsIssued(hash);
        if (paid && !throttle.TryTake(http, out var retryAfter)) return SignInThrottle.Refusal(http, retryAfter);

        var identity = hash is not null && KnownApiKeys.IsWellFormed(key) && await knownKeys.MayExistAsync(hash, http.RequestAborted)
            ? await grains.GetGrain<IApiKeyGrain>(hash).Authenticate()
            : null;
        if (identity is null) return SeeOther(SignInPath + "?failed=key");
        if (paid) throttle.GiveBack(http);
        if (!ConsoleUser.ConsoleRoles.Contains(identity.Role)) return SeeOther(SignInPath + "?failed=role");

        var claims = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Role, WireNames.Of(identity.Role)),
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(KeyClaims.Brand, identity.BrandId),
            new Claim(KeyClaims.KeyId, identity.KeyId),
            new Claim(KeyClaims.KeyHash, hash!),
            new Claim(ConsoleUser.SessionClaim, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))),
            new Claim(ConsoleUser.SignedInClaim, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ], Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(claims));
        return SeeOther(IsConsolePath(returnUrl) ? returnUrl : HomeOf(identity.Role));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, IGrainFactory grains)
    {
        // The form's token was issued to the signed-in user, so it is checked against that user.
        if (await http.AuthenticateAsync(Scheme) is { Succeeded: true } session) http.User = session.Principal;
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
            return Api.Problems.Validation(new Dictionary<string, string[]> { ["form"] = ["must come from the console (anti-forgery token)."] });
        // Ended for every tab and every copy of the cookie, not only this browser's.
        if (ConsoleUser.From(http.User) is { } user) await grains.GetGrain<IConsoleSessionGrain>(user.SessionId).End();
        await http.SignOutAsync(Scheme);
        return SeeOther(SignInPath);
    }

    // Only a path of the console itself: an open redirect would let a link send a freshly signed-in user anywhere.
    // Nor a download or a form route: a crafted link must not make a sign-in fetch an export of its choosing.
    private static bool IsConsolePath(string url) =>
        url.StartsWith("/app/", StringComparison.Ordinal) && !url.StartsWith("/app//", StringComparison.Ordinal)
        && !url.StartsWith("/app/download/", StringComparison.Ordinal) && !url.StartsWith("/app/sign-", StringComparison.Ordinal)
        && !url.Contains('\\') && Uri.IsWellFormedUriString(url, UriKind.Relative);

    // 303: the browser follows a form post with a GET.
    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Location = location;
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            return Task.CompletedTask;
        }
    }
}
