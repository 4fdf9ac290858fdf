using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Security;
using SocialCrm.Host.Api;

namespace SocialCrm.Host.Auth;

/// <summary>The key's brand must be the brand in the route; otherwise the resource is, for this key, not found.</summary>
public sealed class BrandRouteRequirement : AuthorizationHandler<BrandRouteRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, BrandRouteRequirement requirement)
    {
        if (context.Resource is HttpContext http
            && http.Request.RouteValues.TryGetValue("brandId", out var routeBrand)
            && context.User.FindFirst(ApiKeyClaims.Brand)?.Value is { } keyBrand
            && string.Equals(routeBrand as string, keyBrand, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

/// <summary>Named policies: which roles may use a route. Every brand route also requires the brand to match.</summary>
public static class Policies
{
    public const string Bootstrap = "bootstrap";

    /// <summary>The operator's pages: the bootstrap key as a bearer key, or the operator's login cookie.</summary>
    public const string Operator = "operator";

    public static string For(params Role[] roles) => "roles:" + string.Join(',', roles.Select(r => WireNames.Of(r)));

    public static void AddSocialCrmPolicies(this AuthorizationBuilder builder)
    {
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyClaims.Scheme).RequireAuthenticatedUser().Build());
        builder.AddPolicy(Bootstrap, p => p.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireRole(ApiKeyClaims.BootstrapRole));
        builder.AddPolicy(Operator, p => p.AddAuthenticationSchemes(ApiKeyClaims.Scheme, OperatorLogin.Scheme).RequireRole(ApiKeyClaims.BootstrapRole));
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, RolePolicyProvider>();
    }

    /// <summary>Builds the policy a <see cref="For"/> name stands for: those roles, in the route's brand.</summary>
    private sealed class RolePolicyProvider(Microsoft.Extensions.Options.IOptions<AuthorizationOptions> options)
        : DefaultAuthorizationPolicyProvider(options)
    {
        public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
        {
            if (await base.GetPolicyAsync(policyName) is { } known) return known;
            if (!policyName.StartsWith("roles:", StringComparison.Ordinal)) return null;
            return new AuthorizationPolicyBuilder(ApiKeyClaims.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new BrandRouteRequirement())
                .RequireRole(policyName["roles:".Length..].Split(','))
                .Build();
        }
    }
}

/// <summary>
/// Writes authentication and authorization failures as problem details: no key is 401
/// <c>unauthenticated</c>; another brand's route is 404 <c>not-found</c>; a role that may not is 403 <c>forbidden</c>.
/// Once authorized, the key's brand is put in the request context, where the grains check it again.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            if (SignInThrottle.ThrottledAnswer(context) is { } throttled)
            {
                await throttled.ExecuteAsync(context);
                return;
            }
            // The console's pages send a browser to the sign-in form, and tell a script 401.
            if (policy.AuthenticationSchemes.Contains(WebConsole.ConsoleSignIn.Scheme))
            {
                await context.ChallengeAsync(WebConsole.ConsoleSignIn.Scheme);
                return;
            }
            // A browser navigating to an operator page has no bearer header to send: show it the login form.
            if (policy.AuthenticationSchemes.Contains(OperatorLogin.Scheme) && OperatorLogin.WantsHtml(context.Request))
            {
                await OperatorLogin.RedirectToLogin().ExecuteAsync(context);
                return;
            }
            await Problems.Unauthenticated("A valid API key is required (Authorization: Bearer <key>).")
                .ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            var wrongBrand = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<BrandRouteRequirement>().Any() == true;
            var problem = wrongBrand
                ? Problems.Of(404, "not-found", "Not found", "No such resource in this brand.")
                : Problems.Forbidden("This key's role may not do this.");
            await problem.ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Succeeded && context.User.FindFirst(ApiKeyClaims.Brand)?.Value is { } brand)
        {
            BrandContext.Set(brand);
            // Who acts, for the audit log: role and key name, never the key itself.
            var role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "unknown";
            ActorContext.Set(role + ":" + (context.User.Identity?.Name ?? "unknown"));
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
