using Microsoft.Extensions.Options;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Web.Session;

/// <summary>The console's settings (configuration section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>How long a session lasts without a page request (the cookie's sliding expiry).</summary>
    public int SessionMinutes { get; set; } = 60;

    /// <summary>The longest a session lasts from sign-in, however busy: an open screen too must sign in again.</summary>
    public int MaxSessionHours { get; set; } = 12;
}

/// <summary>
/// Whether a signed-in user may still act: the key still works with the same brand and role, the session
/// was not signed out, and it is younger than <see cref="ConsoleOptions.MaxSessionHours"/>. Asked at every
/// page request (the cookie check), every action (<see cref="ConsoleSession"/>) and every few seconds of
/// an open screen (<see cref="ConsoleAuthenticationState"/>).
/// </summary>
public sealed class ConsoleSessionCheck(IGrainFactory grains, IOptions<ConsoleOptions> options, TimeProvider clock)
{
    public async Task<bool> IsInEffectAsync(ConsoleUser user)
    {
        if (clock.GetUtcNow() - user.SignedInAt > TimeSpan.FromHours(Math.Max(1, options.Value.MaxSessionHours))) return false;
        if (await grains.GetGrain<IApiKeyGrain>(user.KeyHash).Authenticate() is not { } identity
            || identity.BrandId != user.BrandId || identity.Role != user.Role)
            return false;
        return !await grains.GetGrain<IConsoleSessionGrain>(user.SessionId).IsEnded();
    }
}
