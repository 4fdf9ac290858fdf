using System.Text.Json;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>The JSON a client writes for a rule, read with the API's web defaults.</summary>
public sealed class AutomationJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void A_rule_written_as_a_client_would_reads_and_validates()
    {
        const string json = """
            {
              "id": "late-orders",
              "name": "Late orders",
              "order": 5,
              "enabled": true,
              "trigger": { "type": "message-received" },
              "conditions": {
                "match": "all",
                "items": [
                  { "field": "text", "operator": "contains-any", "values": ["where is my order", "late"] },
                  { "field": "sentiment", "operator": "score-between", "min": -1, "max": -0.3 },
                  { "field": "assignee", "operator": "is-none" }
                ]
              },
              "actions": [
                { "type": "reply", "template": "Sorry {customer.first_name}, we are on it." },
                { "type": "add-tags", "tags": ["late-delivery"] },
                { "type": "assign", "teamId": "logistics" }
              ]
            }
            """;

        var rule = JsonSerializer.Deserialize<AutomationRule>(json, Web)!;
        var errors = new FieldErrors();
        RuleValidation.Validate(rule, errors);

        Assert.False(errors.Any, string.Join("; ", errors.Lines()));
        Assert.Equal(-0.3, rule.Conditions.Items[1].Max);
        Assert.Null(rule.Conditions.Items[2].Values);
        Assert.Equal("logistics", rule.Actions[2].TeamId);
    }

    [Fact]
    public void Settings_are_written_in_camel_case()
    {
        var json = JsonSerializer.Serialize(AutomationSettings.Default, Web);

        Assert.StartsWith("""{"timeZone":"UTC","businessHours":[{"day":"monday","opens":"09:00","closes":"17:00"},""", json);
        Assert.EndsWith(""","autoReplyCooldownMinutes":60}""", json);
    }
}
