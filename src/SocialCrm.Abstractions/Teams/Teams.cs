using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Teams;

/// <summary>
/// A team of agents, keyed <c>{brandId}/{teamId}</c>: conversations handed to it go to its available
/// members in turn. Touched when a conversation is handed over, never on the per-message path.
/// </summary>
public interface ITeamGrain : IBrandScopedGrain
{
    /// <summary>Creates the team or replaces its name and members; the turn carries on where it was.</summary>
    Task<TeamView> Save(TeamDefinition definition);

    [ReadOnly]
    Task<TeamView?> Get();

    /// <summary>Removes the team; false when there was none.</summary>
    Task<bool> Delete();

    /// <summary>Marks a member available or away (away members are skipped in turn); false when not a member.</summary>
    Task<Outcome<TeamView>> SetAvailability(string agentId, bool available);

    /// <summary>The next available member in turn, or null when nobody is available (or no such team).</summary>
    Task<string?> NextAgent();
}

[GenerateSerializer, Immutable]
public sealed record TeamDefinition([property: Id(0)] string Name, [property: Id(1)] IReadOnlyList<TeamMember> Members);

[GenerateSerializer, Immutable]
public sealed record TeamMember([property: Id(0)] string AgentId, [property: Id(1)] bool Available);

[GenerateSerializer, Immutable]
public sealed record TeamView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<TeamMember> Members,
    [property: Id(3)] DateTimeOffset UpdatedAt);

/// <summary>How big a team may be, checked by the API and the console alike.</summary>
public static class TeamRules
{
    public const int MaxMembers = 500;
    public const int MaxTeamsPerBrand = 200;

    public static void Validate(string? name, IReadOnlyList<TeamMember?>? members, FieldErrors errors)
    {
        errors.RequiredLine("name", name, 100);
        if (members is null) return;
        if (members.Count > MaxMembers) errors.Add("members", $"must hold at most {MaxMembers} agents.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count && i < MaxMembers; i++)
        {
            if (members[i] is not { } member) errors.Add($"members[{i}]", "is required.");
            else if (errors.Id($"members[{i}].agentId", member.AgentId) is { } id && !seen.Add(id))
                errors.Add($"members[{i}].agentId", "is listed twice.");
        }
    }
}
