using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Web.Session;

/// <summary>
/// Asks the key's grain every ten seconds whether an open screen's session is still in effect: a screen left
/// open after its key was revoked or its session signed out elsewhere signs out by itself, even if nobody presses anything.
/// </summary>
public sealed class ConsoleAuthenticationState(ILoggerFactory loggers, ConsoleSessionCheck check)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(10);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        ConsoleUser.From(state.User) is { } user && await check.IsInEffectAsync(user);
}
