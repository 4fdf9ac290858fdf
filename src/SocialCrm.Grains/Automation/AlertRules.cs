using System.Text.Json;
using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Persistence.Automation;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Automation;

/// <summary>
/// The brand's rules on a raised insight alert. There is no conversation: their one action is the
/// <c>automation.fired</c> webhook, committed with the alert's own event (validation allows no other).
/// </summary>
public static class AlertRules
{
    public sealed record Fired(IReadOnlyList<WebhookEvent> Events, IReadOnlyList<AutomationRunRecord> Runs);

    private static readonly Fired None = new([], []);

    public static async Task<Fired> FireAsync(AutomationBooks books, string brandId, InsightAlert alert, DateTimeOffset now)
    {
        var automation = await books.ForBrandAsync(brandId);
        var rules = automation.For(RuleTriggers.InsightAlert);
        if (rules.Count == 0) return None;
        var evaluator = new RuleEvaluator(RuleFacts.WithoutConversation(now), NoCustomer.Instance, automation.Settings);
        var (events, runs) = (new List<WebhookEvent>(), new List<AutomationRunRecord>());
        foreach (var rule in rules)
        {
            if (!await evaluator.MatchesAsync(rule)) continue;
            var run = new AutomationRunRecord(brandId, Ids.NewTimeOrdered("ar", now), "", rule.Rule.Id, RuleTriggers.InsightAlert, null,
                JsonSerializer.Serialize(rule.Rule, JsonSerializerOptions.Web), now.ToUnixTimeMilliseconds());
            runs.Add(run);
            if (rule.Rule.Actions.Any(a => a.Type == RuleActions.Webhook))
                events.Add(new WebhookEvent(EventTypes.AutomationFired, "", 0, null, JsonSerializer.Serialize(new
                {
                    ruleId = rule.Rule.Id, ruleName = rule.Rule.Name, trigger = RuleTriggers.InsightAlert, runId = run.Id, alert,
                }, JsonSerializerOptions.Web), now.ToUnixTimeMilliseconds()));
        }
        return new Fired(events, runs);
    }

    private sealed class NoCustomer : IRuleFactSource
    {
        public static readonly NoCustomer Instance = new();

        public ValueTask<string> ConsentStatus(string purposeWire) => new("unknown");

        public ValueTask<IReadOnlyCollection<string>> Segments() => new([]);
    }
}
