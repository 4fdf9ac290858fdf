using System.Text.Json;
using SocialCrm.Grains.Conversations;

namespace SocialCrm.Web.Conversations;

/// <summary>A log entry that is a change (control, assignee, status, a link), as one short line; and the conversation it links to, if any.</summary>
public sealed record EventLine(string Text, string? LinkedConversationId = null);

public static class ConversationEventText
{
    public static EventLine Of(string eventType, string? data)
    {
        var fields = Read(data);
        string? Field(string name) => fields.TryGetValue(name, out var value) ? value : null;
        var by = Field("by") is { } who ? $" (by {who})" : "";
        return eventType switch
        {
            ConversationEvents.ControlChanged => new($"Control: {Field("from") ?? "?"} → {Field("to") ?? "?"}{by}"),
            ConversationEvents.StatusChanged => new($"Status: {Field("from") ?? "?"} → {Field("to") ?? "?"}{by}"),
            ConversationEvents.AssigneeChanged => new(Field("to") is { } to ? $"Assigned to {to}{by}" : $"Unassigned{by}"),
            ConversationEvents.TakenPrivate => new($"Taken private{by}: ", Field("to")),
            ConversationEvents.OpenedFromPublic => new($"Opened from a public thread{by}: ", Field("from")),
            _ => new(eventType),
        };
    }

    private static Dictionary<string, string?> Read(string? data)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(data)) return fields;
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return fields;
            foreach (var property in document.RootElement.EnumerateObject())
                fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        }
        catch (JsonException)
        {
        }
        return fields;
    }
}
