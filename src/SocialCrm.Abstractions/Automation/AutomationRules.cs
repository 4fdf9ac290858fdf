namespace SocialCrm.Abstractions.Automation;

/// <summary>
/// A brand's automation rule: when <see cref="Trigger"/> fires and <see cref="Conditions"/> hold, run
/// <see cref="Actions"/> in their order. Rules are tried by <see cref="Order"/>, lowest first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AutomationRule(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int Order,
    [property: Id(3)] bool Enabled,
    [property: Id(4)] RuleTrigger Trigger,
    [property: Id(5)] RuleConditions Conditions,
    [property: Id(6)] IReadOnlyList<RuleAction> Actions);

/// <summary>What wakes a rule (<see cref="RuleTriggers"/>); <see cref="Minutes"/> is for <c>no-agent-reply</c> only.</summary>
[GenerateSerializer, Immutable]
public sealed record RuleTrigger([property: Id(0)] string Type, [property: Id(1)] int? Minutes = null);

/// <summary>The conditions of a rule, joined by <c>all</c> or <c>any</c>; no conditions at all always match.</summary>
[GenerateSerializer, Immutable]
public sealed record RuleConditions([property: Id(0)] string Match, [property: Id(1)] IReadOnlyList<RuleCondition> Items);

/// <summary>
/// One test on a message or its conversation (<see cref="RuleFields"/>, <see cref="RuleOperators"/>):
/// <see cref="Values"/> for most operators, <see cref="Min"/> and <see cref="Max"/> for <c>score-between</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RuleCondition(
    [property: Id(0)] string Field,
    [property: Id(1)] string Operator,
    [property: Id(2)] IReadOnlyList<string>? Values = null,
    [property: Id(3)] double? Min = null,
    [property: Id(4)] double? Max = null);

/// <summary>One thing a rule does (<see cref="RuleActions"/>); each type reads only its own fields.</summary>
[GenerateSerializer, Immutable]
public sealed record RuleAction(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Template = null,
    [property: Id(2)] string? Purpose = null,
    [property: Id(3)] string? AgentId = null,
    [property: Id(4)] string? TeamId = null,
    [property: Id(5)] string? Status = null,
    [property: Id(6)] IReadOnlyList<string>? Tags = null,
    [property: Id(7)] string? Priority = null,
    [property: Id(8)] int? Points = null,
    [property: Id(9)] string? BotId = null,
    [property: Id(10)] string? PublicTemplate = null);

/// <summary>A brand's automation settings: its time zone, its opening hours and how often one customer gets an automatic reply.</summary>
[GenerateSerializer, Immutable]
public sealed record AutomationSettings(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] IReadOnlyList<BusinessHoursDay> BusinessHours,
    [property: Id(2)] int AutoReplyCooldownMinutes)
{
    /// <summary>UTC, Monday to Friday 09:00–17:00, one automatic reply per customer per hour.</summary>
    public static readonly AutomationSettings Default = new(
        "UTC",
        [.. new[] { "monday", "tuesday", "wednesday", "thursday", "friday" }.Select(d => new BusinessHoursDay(d, "09:00", "17:00"))],
        60);
}

/// <summary>The opening hours of one weekday in the brand's time zone, <c>HH:mm</c>; <see cref="Closes"/> may be <c>24:00</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BusinessHoursDay([property: Id(0)] string Day, [property: Id(1)] string Opens, [property: Id(2)] string Closes);

/// <summary>What a dry run tells about a rule and one message: whether it matches, and why, condition by condition.</summary>
[GenerateSerializer, Immutable]
public sealed record MatchReport([property: Id(0)] bool Matched, [property: Id(1)] IReadOnlyList<ConditionReport> Conditions);

/// <summary>One condition's verdict in a dry run; <see cref="Index"/> is its place in the rule's list.</summary>
[GenerateSerializer, Immutable]
public sealed record ConditionReport(
    [property: Id(0)] int Index,
    [property: Id(1)] string Field,
    [property: Id(2)] bool Matched,
    [property: Id(3)] string Detail);

/// <summary>The wire names of rule triggers.</summary>
public static class RuleTriggers
{
    public const string MessageReceived = "message-received";
    public const string ConversationOpened = "conversation-opened";
    public const string TakenPrivate = "taken-private";
    public const string NoAgentReply = "no-agent-reply";
    /// <summary>An insight alert of the brand: there is no conversation, so only webhooks run.</summary>
    public const string InsightAlert = "insight-alert";

    public static readonly IReadOnlyList<string> All = [MessageReceived, ConversationOpened, TakenPrivate, NoAgentReply, InsightAlert];
}

/// <summary>The wire names of condition fields.</summary>
public static class RuleFields
{
    public const string Channel = "channel";
    public const string Platform = "platform";
    public const string Visibility = "visibility";
    public const string Text = "text";
    public const string Sentiment = "sentiment";
    public const string Segment = "segment";
    public const string Customer = "customer";
    public const string Consent = "consent";
    public const string BusinessHours = "business-hours";
    public const string Status = "status";
    public const string Tag = "tag";
    public const string Assignee = "assignee";
    public const string Priority = "priority";

    public static readonly IReadOnlyList<string> All =
        [Channel, Platform, Visibility, Text, Sentiment, Segment, Customer, Consent, BusinessHours, Status, Tag, Assignee, Priority];
}

/// <summary>The wire names of condition operators.</summary>
public static class RuleOperators
{
    public const string In = "in";
    public const string NotIn = "not-in";
    public const string Is = "is";
    public const string ContainsAny = "contains-any";
    public const string ContainsAll = "contains-all";
    public const string ContainsNone = "contains-none";
    public const string LabelIn = "label-in";
    public const string ScoreBetween = "score-between";
    public const string HasAny = "has-any";
    public const string HasAll = "has-all";
    public const string HasNone = "has-none";
    public const string IsNone = "is-none";
    public const string IsAny = "is-any";
}

/// <summary>The wire names of rule actions.</summary>
public static class RuleActions
{
    public const string Reply = "reply";
    public const string TakePrivate = "take-private";
    public const string Assign = "assign";
    public const string SetStatus = "set-status";
    public const string AddTags = "add-tags";
    public const string RemoveTags = "remove-tags";
    public const string SetPriority = "set-priority";
    public const string AwardPoints = "award-points";
    public const string PassToBot = "pass-to-bot";
    public const string PassToHuman = "pass-to-human";
    /// <summary>Sends the <c>automation.fired</c> webhook event.</summary>
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All =
        [Reply, TakePrivate, Assign, SetStatus, AddTags, RemoveTags, SetPriority, AwardPoints, PassToBot, PassToHuman, Webhook];
}

/// <summary>The wire values conditions and actions compare with, beside the enums' own wire names.</summary>
public static class RuleValues
{
    public const string MatchAll = "all";
    public const string MatchAny = "any";

    public const string NewCustomer = "new";
    public const string ReturningCustomer = "returning";

    public const string Inside = "inside";
    public const string Outside = "outside";

    public static readonly IReadOnlyList<string> SentimentLabels = ["positive", "neutral", "negative"];
    public static readonly IReadOnlyList<string> Segments = ["advocate", "detractor", "helper", "power-user"];

    /// <summary>Conversation priorities, by wire name.</summary>
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "urgent"];

    /// <summary>The purposes an automatic reply may be sent for.</summary>
    public static readonly IReadOnlyList<string> ReplyPurposes = ["service", "marketing"];

    public static readonly IReadOnlyList<string> Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
}

/// <summary>A time of day written <c>HH:mm</c> (24-hour clock), as business hours spell it.</summary>
public static class ClockTime
{
    /// <summary>
    /// The minutes since midnight of <paramref name="value"/>: exactly two digits, a colon, two digits;
    /// <c>24:00</c> (1440) only where <paramref name="allowEndOfDay"/>.
    /// </summary>
    public static bool TryParse(string? value, bool allowEndOfDay, out int minutes)
    {
        minutes = 0;
        if (value is not { Length: 5 } || value[2] != ':' || !IsDigit(value[0]) || !IsDigit(value[1]) || !IsDigit(value[3]) || !IsDigit(value[4]))
            return false;
        var hours = (value[0] - '0') * 10 + (value[1] - '0');
        var mins = (value[3] - '0') * 10 + (value[4] - '0');
        minutes = hours * 60 + mins;
        return mins < 60 && (hours < 24 || (allowEndOfDay && minutes == 24 * 60));
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
}
