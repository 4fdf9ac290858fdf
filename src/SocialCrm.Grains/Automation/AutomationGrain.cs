using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Grains.Insights;
using SocialCrm.Persistence.Automation;

namespace SocialCrm.Grains.Automation;

[GenerateSerializer]
public sealed class AutomationState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public List<AutomationRule> Rules { get; set; } = [];
    [Id(2)] public AutomationSettings? Settings { get; set; }
}

/// <summary>A brand's rules and settings. Nodes read them through their <see cref="AutomationBooks"/>, never per message.</summary>
public sealed class AutomationGrain(
    [PersistentState("automation", GrainStorage.Name)] IPersistentState<AutomationState> state,
    AutomationBooks books,
    AutomationStore store,
    MessageReader reader,
    TimeProvider clock) : Grain, IAutomationGrain
{
    public const int MaxRulesPerBrand = 200;

    private string BrandId => this.GetPrimaryKeyString();

    async Task<Outcome<AutomationRule>> IAutomationGrain.SaveRule(AutomationRule rule)
    {
        var errors = new FieldErrors();
        RuleValidation.Validate(rule, errors);
        Unsupported(rule, errors);
        var index = state.State.Rules.FindIndex(r => r.Id == rule.Id);
        if (index < 0 && state.State.Rules.Count >= MaxRulesPerBrand) errors.Add("id", $"would be rule number {MaxRulesPerBrand + 1}; a brand keeps at most {MaxRulesPerBrand}.");
        if (errors.Any) return Refusal.Invalid(errors);
        if (index < 0) state.State.Rules.Add(rule);
        else state.State.Rules[index] = rule;
        await SaveAsync();
        return rule;
    }

    async Task<bool> IAutomationGrain.DeleteRule(string ruleId)
    {
        if (state.State.Rules.RemoveAll(r => r.Id == ruleId) == 0) return false;
        await SaveAsync();
        return true;
    }

    Task<AutomationBook> IAutomationGrain.Book() => Task.FromResult(new AutomationBook(state.State.Version,
        state.State.Rules.OrderBy(r => r.Order).ThenBy(r => r.Id, StringComparer.Ordinal).ToList(),
        state.State.Settings ?? AutomationSettings.Default));

    async Task<Outcome<AutomationSettings>> IAutomationGrain.SaveSettings(AutomationSettings settings)
    {
        var errors = new FieldErrors();
        RuleValidation.Validate(settings, errors);
        if (errors.Any) return Refusal.Invalid(errors);
        state.State.Settings = settings;
        await SaveAsync();
        return settings;
    }

    async Task<IReadOnlyList<RuleRunCount>> IAutomationGrain.Counts() =>
        (await store.CountsAsync(BrandId)).Select(c => new RuleRunCount(c.RuleId, c.Status, c.Reason, c.Count)).ToList();

    async Task<Outcome<DryRun>> IAutomationGrain.Test(AutomationRule rule, SampleMessage message)
    {
        var errors = new FieldErrors();
        RuleValidation.Validate(rule, errors);
        if (errors.Any) return Refusal.Invalid(errors);
        ConversationView? conversation = null;
        if (message.ConversationId is { } conversationId)
        {
            var found = await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(BrandId, conversationId)).Get();
            if (found.Refusal is { } missing) return missing;
            conversation = found.Value;
        }
        var channelId = message.ChannelId ?? conversation?.ChannelId ?? "";
        var channel = channelId.Length == 0 ? null : await GrainFactory.GetGrain<IChannelGrain>(Ids.Scoped(BrandId, channelId)).Get();
        var sentiment = Insights.Sentiments.View((await reader.ReadAsync(BrandId, message.Text))?.Score);
        var customerId = conversation?.Visibility == Visibility.Private ? conversation.CustomerIds.FirstOrDefault() : null;
        var facts = new RuleFacts(message.Text, channelId, channel is null ? "" : WireNames.Of(channel.Platform),
            message.Visibility ?? (conversation is null ? "private" : WireNames.Of(conversation.Visibility)),
            sentiment?.Score, sentiment?.Label, IsNewCustomer: null,
            WireNames.Of(conversation?.Status ?? ConversationStatus.Open), conversation?.Tags ?? [], conversation?.Assignee,
            WireNames.Of(conversation?.Priority ?? ConversationPriority.Normal), message.At ?? clock.GetUtcNow());
        var book = await ((IAutomationGrain)this).Book();
        var report = await RuleMatcher.ExplainAsync(RuleMatcher.Compile(rule), facts, new CustomerFacts(GrainFactory, BrandId, customerId), book.Settings);
        return new DryRun(report.Matched, report, report.Matched ? rule.Actions.Select(Describe).ToList() : [],
            "A dry run checks the conditions; the switchboard, the messaging window, consent and the reply cooldown are checked when the rule runs.");
    }

    /// <summary>An action in words, as the dry run lists it.</summary>
    private static string Describe(RuleAction a) => a.Type switch
    {
        RuleActions.Reply => $"reply ({a.Purpose ?? "service"}): {a.Template}",
        RuleActions.TakePrivate => "take it private" + (a.PublicTemplate is null ? "" : $", answering publicly: {a.PublicTemplate}"),
        RuleActions.Assign => a.TeamId is null ? $"assign to {a.AgentId}" : $"hand to team {a.TeamId}" + (a.AgentId is null ? "" : $" ({a.AgentId})"),
        RuleActions.SetStatus => $"set status {a.Status}",
        RuleActions.AddTags => "add tags " + string.Join(", ", a.Tags ?? []),
        RuleActions.RemoveTags => "remove tags " + string.Join(", ", a.Tags ?? []),
        RuleActions.SetPriority => $"set priority {a.Priority}",
        RuleActions.PassToBot => $"pass control to bot {a.BotId}",
        RuleActions.PassToHuman => "pass control to humans",
        RuleActions.Webhook => "send the automation.fired webhook",
        _ => a.Type,
    };

    /// <summary>What the model can say but this version cannot do: refused on save rather than failing on every message.</summary>
    private static void Unsupported(AutomationRule rule, FieldErrors errors)
    {
        for (var i = 0; i < (rule.Actions?.Count ?? 0); i++)
            if (rule.Actions![i]?.Type == RuleActions.AwardPoints)
                errors.Add($"actions[{i}].type", "award-points needs the loyalty programme, which this version does not have yet.");
        for (var i = 0; i < (rule.Conditions?.Items?.Count ?? 0); i++)
            if (rule.Conditions!.Items![i]?.Field == RuleFields.Segment)
                errors.Add($"conditions.items[{i}].field", "segment needs customer segments, which this version does not have yet.");
    }

    private async Task SaveAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        // This node sees the change at once; the others within their refresh interval.
        books.Forget(BrandId);
    }
}
