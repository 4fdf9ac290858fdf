using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Teams;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// How a conversation is routed: assignee, team (its next available member), status, priority and
/// tags, each change an entry of its history. Used by one activation on its own scheduler.
/// </summary>
internal sealed class ConversationTriage(
    string brandId,
    IPersistentState<ConversationState> state,
    ConversationLog log,
    IGrainFactory grains,
    TimeProvider clock)
{
    // The commands below answer only whether they were refused: a rule calls them in the grain's own
    // turn and needs no view (building one reads the participants).
    public Task<Refusal?> AssignAsync(string? agentId, Actor actor) =>
        ChangeAsync(state.State.Assignee, agentId, s => s.Assignee = agentId, ConversationEvents.AssigneeChanged, actor);

    public Task<Refusal?> SetStatusAsync(ConversationStatus status, Actor actor) =>
        ChangeAsync(WireNames.Of(state.State.Status), WireNames.Of(status), s => s.Status = status, ConversationEvents.StatusChanged, actor);

    public Task<Refusal?> SetPriorityAsync(ConversationPriority priority, Actor actor) =>
        ChangeAsync(WireNames.Of(state.State.Priority), WireNames.Of(priority), s => s.Priority = priority, ConversationEvents.PriorityChanged, actor);

    public async Task<Refusal?> SetTagsAsync(IReadOnlyList<string> tags, Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        var errors = new FieldErrors();
        var normalized = Tags.Validate("tags", tags, errors);
        if (errors.Any) return Refusal.Invalid(errors);
        var (added, removed) = (normalized.Except(state.State.Tags).ToList(), state.State.Tags.Except(normalized).ToList());
        if (added.Count == 0 && removed.Count == 0) return null;
        state.State.Tags = normalized.ToList();
        await state.WriteStateAsync();
        await log.SaveTagsAsync();
        await log.AppendEventAsync(ConversationEvents.TagsChanged, new { added, removed, by = actor.Id }, actor.Id, clock.GetUtcNow());
        return null;
    }

    public async Task<Refusal?> AssignTeamAsync(string? teamId, string? agentId, Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        if (teamId is not null)
        {
            var team = grains.GetGrain<ITeamGrain>(Ids.Scoped(brandId, teamId));
            if (await team.Get() is null) return Refusal.NotFound("Team");
            // Nobody available: the conversation waits unassigned in the team's view.
            agentId ??= await team.NextAgent();
        }
        var (fromTeam, fromAgent) = (state.State.TeamId, state.State.Assignee);
        var assigneeChanges = teamId is not null && agentId != fromAgent;
        if (fromTeam == teamId && !assigneeChanges) return null;
        state.State.TeamId = teamId;
        if (assigneeChanges) state.State.Assignee = agentId;
        await state.WriteStateAsync();
        var now = clock.GetUtcNow();
        if (fromTeam != teamId) await log.AppendEventAsync(ConversationEvents.TeamChanged, new { from = fromTeam, to = teamId, by = actor.Id }, actor.Id, now);
        if (assigneeChanges) await log.AppendEventAsync(ConversationEvents.AssigneeChanged, new { from = fromAgent, to = agentId, by = actor.Id }, actor.Id, now);
        return null;
    }

    /// <summary>A change of one field, recorded in the history.</summary>
    private async Task<Refusal?> ChangeAsync(string? from, string? to, Action<ConversationState> apply, string eventType, Actor actor)
    {
        if (!state.State.Exists) return Refusal.NotFound("Conversation");
        if (from == to) return null;
        apply(state.State);
        await state.WriteStateAsync();
        await log.AppendEventAsync(eventType, new { from, to, by = actor.Id }, actor.Id, clock.GetUtcNow());
        return null;
    }
}
