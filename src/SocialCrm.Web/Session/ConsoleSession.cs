using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Web.Session;

/// <summary>A console action refused before or instead of its effect: the role may not, the session ended, or the service could not answer.</summary>
public sealed class ConsoleRefusedException(string message) : Exception(message);

/// <summary>
/// The signed-in user's way to the grains, one per circuit. Every call checks, as the API's routes
/// do, that the session is still in effect (key, sign-out, lifetime) and that the role is in the
/// action's set of the role matrix; then it names the brand and the actor in the request context, where
/// the brand-scoped grains check the brand again and the audit log records who acted. No screen calls a
/// grain any other way.
/// </summary>
public sealed class ConsoleSession(AuthenticationStateProvider authentication, IGrainFactory grains, ConsoleSessionCheck check,
    NavigationManager navigation, ILogger<ConsoleSession> logger)
{
    private ConsoleUser? _user;

    public async Task<ConsoleUser?> UserAsync()
    {
        if (_user is not null) return _user;
        var state = await authentication.GetAuthenticationStateAsync();
        return _user = ConsoleUser.From(state.User);
    }

    /// <summary>Calls grains as the signed-in user, if the role may and the session is still in effect.</summary>
    public async Task<T> Call<T>(Role[] allowed, Func<IGrainFactory, string, Task<T>> call)
    {
        var user = await UserAsync() ?? throw new ConsoleRefusedException("Sign in first.");
        if (!user.May(allowed)) throw new ConsoleRefusedException("Your role may not do this.");
        if (!await check.IsInEffectAsync(user))
        {
            // The next request's cookie check ends the session and shows the sign-in form.
            navigation.NavigateTo("/app/login?ended=1", forceLoad: true);
            throw new ConsoleRefusedException("This session has ended; sign in again.");
        }
        BrandContext.Set(user.BrandId);
        ActorContext.Set(user.AuditName);
        try
        {
            return await call(grains, user.BrandId);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or BrandScopeViolationException)
        {
            // A screen shows a refusal rather than losing its circuit; the log names the kind of failure only
            // (its message can hold grain keys, which hold brand and customer ids).
            logger.LogWarning("A console call failed: {Error}", e.GetType().Name);
            throw new ConsoleRefusedException("The service could not answer just now; try again.");
        }
    }

    public Task Call(Role[] allowed, Func<IGrainFactory, string, Task> call) =>
        Call<bool>(allowed, async (g, b) => { await call(g, b); return true; });
}
