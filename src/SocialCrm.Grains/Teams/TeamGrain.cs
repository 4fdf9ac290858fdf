using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Teams;

namespace SocialCrm.Grains.Teams;

[GenerateSerializer]
public sealed class TeamState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public List<TeamMember> Members { get; set; } = [];
    /// <summary>The member who got the last conversation: the next goes to the available one after them.</summary>
    [Id(3)] public string? LastAssigned { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A team of agents and whose turn it is; the brand lists its teams.</summary>
public sealed class TeamGrain(
    [PersistentState("team", GrainStorage.Name)] IPersistentState<TeamState> state,
    TimeProvider clock) : Grain, ITeamGrain
{
    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());
    private string TeamId => Ids.LocalPart(this.GetPrimaryKeyString());

    async Task<TeamView> ITeamGrain.Save(TeamDefinition definition)
    {
        var isNew = !state.State.Exists;
        state.State.Exists = true;
        state.State.Name = definition.Name;
        state.State.Members = definition.Members.ToList();
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        if (isNew) await GrainFactory.GetGrain<IBrandGrain>(BrandId).AddTeam(TeamId);
        return View();
    }

    Task<TeamView?> ITeamGrain.Get() => Task.FromResult(state.State.Exists ? View() : null);

    async Task<bool> ITeamGrain.Delete()
    {
        if (!state.State.Exists) return false;
        await GrainFactory.GetGrain<IBrandGrain>(BrandId).RemoveTeam(TeamId);
        await state.ClearStateAsync();
        state.State = new TeamState();
        return true;
    }

    async Task<Outcome<TeamView>> ITeamGrain.SetAvailability(string agentId, bool available)
    {
        var index = state.State.Members.FindIndex(m => m.AgentId == agentId);
        if (!state.State.Exists || index < 0) return Refusal.NotFound("Team member");
        if (state.State.Members[index].Available == available) return View();
        state.State.Members[index] = new TeamMember(agentId, available);
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    async Task<string?> ITeamGrain.NextAgent()
    {
        if (!state.State.Exists) return null;
        var next = RoundRobin.Next(state.State.Members, state.State.LastAssigned);
        if (next is null) return null;
        state.State.LastAssigned = next;
        await state.WriteStateAsync();
        return next;
    }

    private TeamView View() => new(TeamId, state.State.Name, state.State.Members.ToList(), state.State.UpdatedAt);
}

/// <summary>Whose turn it is: the first available member after the one who had the last turn, wrapping around.</summary>
public static class RoundRobin
{
    public static string? Next(IReadOnlyList<TeamMember> members, string? last)
    {
        var start = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].AgentId == last)
            {
                start = i + 1;
                break;
            }
        }
        for (var step = 0; step < members.Count; step++)
        {
            var member = members[(start + step) % members.Count];
            if (member.Available) return member.AgentId;
        }
        return null;
    }
}
