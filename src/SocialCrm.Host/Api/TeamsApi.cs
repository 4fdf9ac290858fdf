using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Teams;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record TeamMemberBody(string? AgentId, bool? Available);

public sealed record TeamBody(string? Name, IReadOnlyList<TeamMemberBody?>? Members);

public sealed record AvailabilityBody(bool? Available);

public sealed record TeamMemberResponse(string AgentId, bool Available);

public sealed record TeamResponse(string Id, string Name, IReadOnlyList<TeamMemberResponse> Members, DateTimeOffset UpdatedAt)
{
    public static TeamResponse From(TeamView v) =>
        new(v.Id, v.Name, v.Members.Select(m => new TeamMemberResponse(m.AgentId, m.Available)).ToList(), v.UpdatedAt);
}

public sealed record TeamListResponse(IReadOnlyList<TeamResponse> Items);

/// <summary>Teams of agents: admins define them, agents read them and say when they are away.</summary>
public static class TeamsApi
{
    public static void MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/v1/brands/{brandId}/teams");
        teams.MapGet("/", List).RequireAuthorization(Policies.For(RoleSets.AgentWork));
        teams.MapGet("/{teamId}", Get).RequireAuthorization(Policies.For(RoleSets.AgentWork)).ProducesProblem(404);
        teams.MapPut("/{teamId}", Save).RequireAuthorization(Policies.For(RoleSets.Administration));
        teams.MapDelete("/{teamId}", Delete).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(404);
        teams.MapPut("/{teamId}/members/{agentId}/availability", SetAvailability).RequireAuthorization(Policies.For(RoleSets.AgentWork))
            .ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<Ok<TeamListResponse>> List(string brandId, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IBrandGrain>(brandId).TeamIds();
        var views = await Task.WhenAll(ids.Select(id => Team(grains, brandId, id).Get()));
        return TypedResults.Ok(new TeamListResponse(views.OfType<TeamView>().OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(TeamResponse.From).ToList()));
    }

    private static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> Get(string brandId, string teamId, IGrainFactory grains) =>
        Ids.IsValid(teamId) && await Team(grains, brandId, teamId).Get() is { } team
            ? TypedResults.Ok(TeamResponse.From(team))
            : Problems.NotFound("Team");

    /// <summary>Creates or replaces a team (PUT is idempotent: the same body twice leaves one team).</summary>
    private static async Task<Results<Ok<TeamResponse>, ValidationProblem>> Save(string brandId, string teamId, TeamBody? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.Id("teamId", teamId);
        var members = body?.Members?.Select(m => m is null ? null : new TeamMember(m.AgentId!, m.Available ?? true)).ToList();
        TeamRules.Validate(body?.Name, members, errors);
        if (errors.Any) return errors.ToProblem();
        if ((await grains.GetGrain<IBrandGrain>(brandId).TeamIds()).Count >= TeamRules.MaxTeamsPerBrand
            && await Team(grains, brandId, teamId).Get() is null)
        {
            errors.Add("teamId", $"would be the brand's team number {TeamRules.MaxTeamsPerBrand + 1}; at most {TeamRules.MaxTeamsPerBrand} are kept.");
            return errors.ToProblem();
        }
        var saved = await Team(grains, brandId, teamId).Save(new TeamDefinition(body!.Name!.Trim(), (members ?? []).OfType<TeamMember>().ToList()));
        return TypedResults.Ok(TeamResponse.From(saved));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string brandId, string teamId, IGrainFactory grains) =>
        Ids.IsValid(teamId) && await Team(grains, brandId, teamId).Delete() ? TypedResults.NoContent() : Problems.NotFound("Team");

    /// <summary>An agent says they are away or back; only for themselves, unless an admin.</summary>
    private static async Task<Results<Ok<TeamResponse>, ProblemHttpResult, ValidationProblem>> SetAvailability(string brandId, string teamId,
        string agentId, AvailabilityBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (body?.Available is null) errors.Add("available", "is required (true or false).");
        if (errors.Any) return errors.ToProblem();
        if (!Ids.IsValid(teamId) || !Ids.IsValid(agentId)) return Problems.NotFound("Team member");
        if (!user.IsInRole(WireNames.Of(Role.Admin)) && user.FindFirst(ClaimTypes.Name)?.Value != agentId)
            return Problems.Forbidden("An agent sets their own availability; an admin sets anyone's.");
        var outcome = await Team(grains, brandId, teamId).SetAvailability(agentId, body!.Available!.Value);
        return ResultsOf.Map(outcome, v => TypedResults.Ok(TeamResponse.From(v)));
    }

    private static ITeamGrain Team(IGrainFactory grains, string brandId, string teamId) => grains.GetGrain<ITeamGrain>(Ids.Scoped(brandId, teamId));
}
