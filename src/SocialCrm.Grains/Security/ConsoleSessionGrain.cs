using SocialCrm.Abstractions.Security;

namespace SocialCrm.Grains.Security;

[GenerateSerializer]
public sealed class ConsoleSessionState
{
    [Id(0)] public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>Written once, when the session is signed out; every other call is a read of the activation's state.</summary>
public sealed class ConsoleSessionGrain(
    [PersistentState("console-session", GrainStorage.Name)] IPersistentState<ConsoleSessionState> state,
    TimeProvider clock) : Grain, IConsoleSessionGrain
{
    async Task IConsoleSessionGrain.End()
    {
        if (state.State.EndedAt is not null) return;
        state.State.EndedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
    }

    Task<bool> IConsoleSessionGrain.IsEnded() => Task.FromResult(state.State.EndedAt is not null);
}
