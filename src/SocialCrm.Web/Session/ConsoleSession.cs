using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Web.Session;

/// <summary>A console action refused before it reached a grain: the role may not, or the key no longer works.</summary>
public sealed class ConsoleRefusedException(string message) : Exception(message);

/// <summary>
/// The signed-in user's way to the grains, one per circuit. Every call checks, as the API's routes
/// do, that the key still works and that its role is in the action's set of the role matrix; then it
/// names the brand and the actor in the request context, where the brand-scoped grains check the brand
/// again and the audit log records who acted. No screen calls a grain any other way.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, IGrainFactory grains, NavigationManager navigation)
{
    private ConsoleUser? _user;

    public async Task<ConsoleUser?> UserAsync()
    {
        if (_user is not null) return _user;
        var state = await authentication.GetAuthenticationStateAsync();
        return _user = ConsoleUser.From(state.User);
    }

    /// <summary>Calls grains as the signed-in user, if the role may and the key still works.</summary>
    public async Task<T> Call<T>(Role[] allowed, Func<IGrainFactory, string, Task<T>> call)
    {
        var user = await UserAsync() ?? throw Refused("Sign in first.");
        if (!user.May(allowed)) throw Refused("Your role may not do this.");
        if (await grains.GetGrain<IApiKeyGrain>(user.KeyHash).Authenticate() is not { } identity
            || identity.BrandId != user.BrandId || identity.Role != user.Role)
        {
            // The key was revoked: the next request's cookie check ends the session and shows the sign-in form.
            navigation.NavigateTo("/app/login?ended=1", forceLoad: true);
            throw new ConsoleRefusedException("This key was revoked; the session has ended.");
        }
        BrandContext.Set(user.BrandId);
        ActorContext.Set(user.AuditName);
        return await call(grains, user.BrandId);
    }

    public Task Call(Role[] allowed, Func<IGrainFactory, string, Task> call) =>
        Call<bool>(allowed, async (g, b) => { await call(g, b); return true; });

    private static ConsoleRefusedException Refused(string message) => new(message);
}
