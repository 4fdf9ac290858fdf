using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Teams;
using SocialCrm.Web.Session;

namespace SocialCrm.Web.Teams;

/// <summary>The brand's teams as the screens list them: read with the agents' role set (as the API's team list), by name.</summary>
public static class BrandTeams
{
    public static Task<IReadOnlyList<TeamView>> ReadAsync(ConsoleSession session) =>
        session.Call<IReadOnlyList<TeamView>>(RoleSets.AgentWork, async (g, b) =>
        {
            var ids = await g.GetGrain<IBrandGrain>(b).TeamIds();
            var views = await Task.WhenAll(ids.Select(id => g.GetGrain<ITeamGrain>(Ids.Scoped(b, id)).Get()));
            return views.OfType<TeamView>().OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        });

    /// <summary>How a team id shows: its name, or the id of a team since deleted.</summary>
    public static string NameOf(IReadOnlyList<TeamView> teams, string teamId) =>
        teams.FirstOrDefault(t => t.Id == teamId)?.Name ?? teamId;
}
