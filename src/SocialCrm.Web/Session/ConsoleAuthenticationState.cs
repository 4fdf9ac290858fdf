using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Brands;

namespace SocialCrm.Web.Session;

/// <summary>
/// Asks the key's grain every half minute whether an open screen's key still works: a screen left open
/// after its key was revoked signs out by itself, even if nobody presses anything.
/// </summary>
public sealed class ConsoleAuthenticationState(ILoggerFactory loggers, IGrainFactory grains)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        if (ConsoleUser.From(state.User) is not { } user) return false;
        var identity = await grains.GetGrain<IApiKeyGrain>(user.KeyHash).Authenticate();
        return identity is not null && identity.BrandId == user.BrandId && identity.Role == user.Role;
    }
}
