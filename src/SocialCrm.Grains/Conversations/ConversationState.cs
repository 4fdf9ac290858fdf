using SocialCrm.Abstractions.Conversations;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>A conversation's metadata, as its grain keeps it (messages live in the log).</summary>
[GenerateSerializer]
public sealed class ConversationState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string ChannelId { get; set; } = "";
    [Id(2)] public Platform Platform { get; set; }
    [Id(3)] public Visibility Visibility { get; set; }
    [Id(4)] public ConversationKind Kind { get; set; }
    [Id(5)] public ConversationStatus Status { get; set; }
    [Id(6)] public string? Assignee { get; set; }
    [Id(7)] public string Controller { get; set; } = Controllers.Human;
    /// <summary>The customer a private conversation is with, or who opened a public thread.</summary>
    [Id(8)] public string? CustomerId { get; set; }
    [Id(9)] public List<string> LinkedConversationIds { get; set; } = [];
    [Id(10)] public string? ExternalThreadId { get; set; }
    [Id(11)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The private customer was erased: nothing more is sent to them.</summary>
    [Id(12)] public bool CustomerErased { get; set; }
    /// <summary>The platform's id of the public comment this private conversation was just taken from, until a reply goes by it.</summary>
    [Id(13)] public string? OpenedFromComment { get; set; }
    /// <summary>This address holds no thread of its own: it is the platform's id of a post or reply tweet of that conversation.</summary>
    [Id(14)] public string? AliasOf { get; set; }
    [Id(15)] public List<string> Tags { get; set; } = [];
    [Id(16)] public ConversationPriority Priority { get; set; } = ConversationPriority.Normal;
    [Id(17)] public string? TeamId { get; set; }
    /// <summary>When a rule last answered here: one automatic reply per conversation per cooldown.</summary>
    [Id(18)] public DateTimeOffset? LastAutomaticReplyAt { get; set; }

    /// <summary>A conversation that starts now, open, with humans in control.</summary>
    public static ConversationState New(string channelId, Platform platform, Visibility visibility, ConversationKind kind,
        string? customerId, string? externalThreadId, DateTimeOffset now) => new()
    {
        Exists = true,
        ChannelId = channelId,
        Platform = platform,
        Visibility = visibility,
        Kind = kind,
        Status = ConversationStatus.Open,
        CustomerId = customerId,
        ExternalThreadId = externalThreadId,
        CreatedAt = now,
    };

    /// <summary>A conversation known only by its projection row (opened by a customer's message, never written as grain state).</summary>
    public static ConversationState Of(ConversationRecord row, Platform platform) => new()
    {
        Exists = true,
        ChannelId = row.ChannelId,
        Platform = platform,
        Visibility = row.Visibility,
        Kind = row.Kind,
        Status = row.Status,
        Assignee = row.Assignee,
        Controller = row.Controller,
        CustomerId = row.CustomerId,
        ExternalThreadId = row.ExternalThreadId,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs),
        Tags = row.Tags?.ToList() ?? [],
        Priority = row.Priority,
        TeamId = row.TeamId,
    };
}
