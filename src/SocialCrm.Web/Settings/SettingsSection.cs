using Microsoft.AspNetCore.Components;
using MudBlazor;
using SocialCrm.Web.Session;

namespace SocialCrm.Web.Settings;

/// <summary>
/// A part of the settings screen: calls grains through the session with the API route's role set, and
/// shows what went wrong (a refused role, a revoked key, a grain's refusal, invalid input) next to its form.
/// </summary>
public abstract class SettingsSection : ComponentBase
{
    [Inject] protected ConsoleSession Session { get; set; } = default!;

    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    protected string? Error { get; set; }

    protected IReadOnlyList<string> Invalid { get; set; } = [];

    /// <summary>Shows the field errors and says whether there were none.</summary>
    protected bool Valid(FieldErrors errors)
    {
        Invalid = errors.Lines().ToList();
        return !errors.Any;
    }

    /// <summary>A read or an action that cannot be refused by the grain: null when the session refused it.</summary>
    protected async Task<T?> Safe<T>(Func<Task<T>> call)
    {
        Error = null;
        try
        {
            return await call();
        }
        catch (ConsoleRefusedException e)
        {
            Error = e.Message;
            return default;
        }
    }

    /// <summary>An action the grain may refuse: its value, or null with the refusal's detail shown.</summary>
    protected async Task<T?> Act<T>(Func<Task<Outcome<T>>> call) where T : class
    {
        var outcome = await Safe(call);
        if (outcome?.Refusal is { } refusal)
        {
            Error = refusal.Field is null ? refusal.Detail : $"{refusal.Field} {refusal.Detail}";
            return null;
        }
        Invalid = [];
        return outcome?.Value;
    }

    /// <summary>As <see cref="Act{T}"/> for a grain's yes (a revocation, a redelivery).</summary>
    protected async Task<bool> Done(Func<Task<Outcome<bool>>> call)
    {
        var outcome = await Safe(call);
        if (outcome?.Refusal is { } refusal)
        {
            Error = refusal.Detail;
            return false;
        }
        return outcome is not null;
    }

    protected void Saved(string what) => Snackbar.Add(what, Severity.Success);
}
