using System.Text.Json;
using SocialCrm.Grains.Conversations;

namespace SocialCrm.Web.Conversations;

/// <summary>A log entry that is a change (control, assignee, status, a link), as one short line; and the conversation it links to, if any.</summary>
public sealed record EventLine(string Text, string? LinkedConversationId = null);

public static class ConversationEventText
{
    /// <param name="teamName">The name a team id shows as (a team since deleted shows its id).</param>
    public static EventLine Of(string eventType, string? data, Func<string, string>? teamName = null)
    {
        var (fields, lists) = Read(data);
        string? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;
        IReadOnlyList<string> List(string name) => lists.TryGetValue(name, out var values) ? values : [];
        var by = Field("by") is { } who ? $" (by {who})" : "";
        string Team(string id) => teamName?.Invoke(id) ?? id;
        return eventType switch
        {
            ConversationEvents.ControlChanged => new($"Control: {Field("from") ?? "?"} → {Field("to") ?? "?"}{by}"),
            ConversationEvents.StatusChanged => new($"Status: {Field("from") ?? "?"} → {Field("to") ?? "?"}{by}"),
            ConversationEvents.AssigneeChanged => new(Field("to") is { } to ? $"Assigned to {to}{by}" : $"Unassigned{by}"),
            ConversationEvents.TakenPrivate => new($"Taken private{by}: ", Field("to")),
            ConversationEvents.OpenedFromPublic => new($"Opened from a public thread{by}: ", Field("from")),
            ConversationEvents.TagsChanged => new(TagsText(Field("by"), List("added"), List("removed"))),
            ConversationEvents.PriorityChanged => new($"{Field("by") ?? "Someone"} set the priority to {Field("to") ?? "?"} (was {Field("from") ?? "?"})"),
            ConversationEvents.TeamChanged => new(TeamText(Field("by"), Field("from") is { } f ? Team(f) : null, Field("to") is { } t ? Team(t) : null)),
            ConversationEvents.AutomationRan or ConversationEvents.AutomationFired =>
                new(RuleText(Field("ruleName") ?? Field("ruleId"), List("did"), List("refused"))),
            _ => new(eventType),
        };
    }

    /// <summary>"Rule 'Where is my order' replied, assigned to team logistics; refused: reply: consent-required".</summary>
    private static string RuleText(string? rule, IReadOnlyList<string> did, IReadOnlyList<string> refused)
    {
        var text = $"Rule '{rule ?? "?"}' " + (did.Count == 0 ? "did nothing" : string.Join(", ", did));
        return refused.Count == 0 ? text : $"{text}; refused: {string.Join(", ", refused)}";
    }

    /// <summary>"ann added late-delivery, removed vip".</summary>
    private static string TagsText(string? by, IReadOnlyList<string> added, IReadOnlyList<string> removed)
    {
        var parts = new List<string>(2);
        if (added.Count > 0) parts.Add("added " + string.Join(", ", added));
        if (removed.Count > 0) parts.Add("removed " + string.Join(", ", removed));
        return $"{by ?? "Someone"} {(parts.Count == 0 ? "changed the tags" : string.Join(", ", parts))}";
    }

    private static string TeamText(string? by, string? from, string? to) => (from, to) switch
    {
        (null, { } t) => $"{by ?? "Someone"} handed it to team {t}",
        ({ } f, null) => $"{by ?? "Someone"} took it from team {f}",
        ({ } f, { } t) => $"{by ?? "Someone"} moved it from team {f} to team {t}",
        _ => $"{by ?? "Someone"} changed the team",
    };

    private static (Dictionary<string, string?> Fields, Dictionary<string, List<string>> Lists) Read(string? data)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(data)) return (fields, lists);
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (fields, lists);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                if (property.Value.ValueKind == JsonValueKind.Array)
                    lists[property.Name] = property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            }
        }
        catch (JsonException)
        {
        }
        return (fields, lists);
    }
}
