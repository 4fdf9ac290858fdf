using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Bots;

/// <summary>
/// One bot webhook, keyed <c>{brandId}/{webhookId}</c>: it drains the webhook's outbox in order per
/// conversation, retrying with backoff and dead-lettering after the last attempt. One activation in
/// the cluster, so a delivery is never in flight twice at once.
/// </summary>
public interface IWebhookGrain : IBrandScopedGrain
{
    Task<Outcome<WebhookView>> Register(WebhookRegistration registration);

    /// <summary>Something may be due: look at the outbox.</summary>
    [OneWay, AlwaysInterleave]
    Task Kick();

    [AlwaysInterleave]
    Task<Outcome<IReadOnlyList<DeliveryView>>> Deliveries(string? status, int limit);

    Task<Outcome<bool>> Redeliver(string deliveryId);
}

[GenerateSerializer, Immutable]
public sealed record WebhookRegistration(
    [property: Id(0)] string Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] IReadOnlyList<string> Events);

[GenerateSerializer, Immutable]
public sealed record WebhookView([property: Id(0)] string Id, [property: Id(1)] string Url, [property: Id(2)] IReadOnlyList<string> Events);

[GenerateSerializer, Immutable]
public sealed record DeliveryView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? ConversationId,
    [property: Id(3)] string Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string? LastError,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? DeliveredAt);

/// <summary>The event types a bot can subscribe to.</summary>
public static class EventTypes
{
    public const string MessageCreated = "message.created";
    public const string ConversationCreated = "conversation.created";
    public const string ControlChanged = "conversation.control-changed";
    public const string StatusChanged = "conversation.status-changed";
    public const string AssigneeChanged = "conversation.assignee-changed";
    public const string TagsChanged = "conversation.tags-changed";
    public const string PriorityChanged = "conversation.priority-changed";
    public const string TeamChanged = "conversation.team-changed";
    public const string AutomationFired = "automation.fired";
    public const string CustomerErased = "customer.erased";
    public const string InsightAlert = "insight.alert";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        MessageCreated, ConversationCreated, ControlChanged, StatusChanged, AssigneeChanged, TagsChanged, PriorityChanged, TeamChanged, AutomationFired,
        CustomerErased, InsightAlert,
    };
}

/// <summary>
/// What a conversation publishes on its Orleans stream (namespace = the event type, key = the
/// conversation's grain key), for bots that live in the cluster.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConversationEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] string BrandId,
    [property: Id(2)] string ConversationId,
    [property: Id(3)] long Seq,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] string Data);

public static class ConversationStreams
{
    public const string Provider = "conversations";
}
