using System.Text.Json;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The conversation's events, in one vocabulary: the kinds of entry its log records besides messages
/// (stored as the entry's event type and listed with the messages), and the one mapping from a log
/// entry to the <see cref="EventTypes"/> name that webhooks, Orleans streams and the brand's live feed use.
/// </summary>
public static class ConversationEvents
{
    public const string ControlChanged = "control-changed";
    public const string StatusChanged = "status-changed";
    public const string AssigneeChanged = "assignee-changed";
    public const string TagsChanged = "tags-changed";
    public const string PriorityChanged = "priority-changed";
    public const string TeamChanged = "team-changed";
    /// <summary>A rule ran here and its rule sends the <c>automation.fired</c> webhook.</summary>
    public const string AutomationFired = "automation-fired";
    /// <summary>A rule ran here, recorded in the history only.</summary>
    public const string AutomationRan = "automation-ran";
    public const string TakenPrivate = "taken-private";
    public const string OpenedFromPublic = "opened-from-public";

    private static readonly List<WebhookEvent> None = [];

    /// <summary>The event a log entry is: a new message (no entry kind), or a change of control, status, assignee, team, tags or priority; links are none.</summary>
    public static string? TypeOf(string? entryKind) => entryKind switch
    {
        null => EventTypes.MessageCreated,
        ControlChanged => EventTypes.ControlChanged,
        StatusChanged => EventTypes.StatusChanged,
        AssigneeChanged => EventTypes.AssigneeChanged,
        TagsChanged => EventTypes.TagsChanged,
        PriorityChanged => EventTypes.PriorityChanged,
        TeamChanged => EventTypes.TeamChanged,
        AutomationFired => EventTypes.AutomationFired,
        _ => null,
    };

    /// <summary>No event: what is published when nobody listens (shared, never modified).</summary>
    public static IReadOnlyList<WebhookEvent> Nothing => None;

    /// <summary>What bots hear of a log entry: a new conversation, a new message, or a change of control, status or assignee.</summary>
    /// <param name="aboutCustomer">The customer a public message answers or quotes: its payloads are erased with them.</param>
    public static IReadOnlyList<WebhookEvent> Of(MessageRecord record, ConversationState conversation, bool firstEntry, string? aboutCustomer)
    {
        var events = new List<WebhookEvent>(2);
        var lane = record.ConversationId;
        var privateCustomer = conversation.Visibility == Visibility.Private ? conversation.CustomerId : null;
        if (firstEntry)
        {
            // Lane order: the conversation's creation just before its first entry (seq × 2 − 1, then seq × 2).
            events.Add(new WebhookEvent(EventTypes.ConversationCreated, lane, record.Seq * 2 - 1, privateCustomer, JsonSerializer.Serialize(new
            {
                channelId = conversation.ChannelId,
                kind = WireNames.Of(conversation.Kind),
                visibility = WireNames.Of(conversation.Visibility),
                customerId = conversation.CustomerId,
                externalThreadId = conversation.ExternalThreadId,
                controller = conversation.Controller,
            }, JsonSerializerOptions.Web), record.CreatedAtMs));
        }
        if (TypeOf(record.EventType) is not { } type) return events;
        // Personal data in a payload is tied to the customer it is about, so that erasure can find it.
        var about = record.AuthorType == AuthorType.Customer ? record.AuthorId : privateCustomer ?? aboutCustomer;
        var data = record.EventType is null
            ? JsonSerializer.Serialize(new
            {
                messageId = record.Id,
                seq = record.Seq,
                authorType = WireNames.Of(record.AuthorType),
                authorId = record.AuthorId,
                text = record.Body,
                visibility = WireNames.Of(record.Visibility),
                purpose = record.Purpose is { } purpose ? WireNames.Of(purpose) : null,
                externalMessageId = record.ExternalMessageId,
                inReplyToExternalMessageId = record.InReplyTo,
                quotedMessageId = record.QuotedMessageId,
                createdAt = DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedAtMs),
                customerId = privateCustomer,
                controller = conversation.Controller,
            }, JsonSerializerOptions.Web)
            : record.EventData!;
        events.Add(new WebhookEvent(type, lane, record.Seq * 2, about, data, record.CreatedAtMs));
        return events;
    }
}
