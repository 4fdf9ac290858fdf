using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Automation;

/// <summary>
/// A brand's automation rules and settings, keyed by the brand id. Read by each node into a cache
/// (<c>AutomationBooks</c>) that is refreshed every few seconds: never called per message.
/// </summary>
public interface IAutomationGrain : IBrandScopedGrain
{
    /// <summary>Creates or replaces a rule (validated again here: the grain trusts no caller).</summary>
    Task<Outcome<AutomationRule>> SaveRule(AutomationRule rule);

    Task<bool> DeleteRule(string ruleId);

    [ReadOnly]
    Task<AutomationBook> Book();

    Task<Outcome<AutomationSettings>> SaveSettings(AutomationSettings settings);

    /// <summary>How the brand's rules' runs ended, per rule, status and reason.</summary>
    [ReadOnly]
    Task<IReadOnlyList<RuleRunCount>> Counts();

    /// <summary>Whether a rule would fire on a sample message (in a conversation, if one is named), and what it would do; changes nothing.</summary>
    [ReadOnly]
    Task<Outcome<DryRun>> Test(AutomationRule rule, SampleMessage message);
}

[GenerateSerializer, Immutable]
public sealed record RuleRunCount(
    [property: Id(0)] string RuleId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? Reason,
    [property: Id(3)] long Count);

/// <summary>Everything a node needs to decide on a message: the rules (ordered), the settings, and a version that moves on every change.</summary>
[GenerateSerializer, Immutable]
public sealed record AutomationBook(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<AutomationRule> Rules,
    [property: Id(2)] AutomationSettings Settings);

/// <summary>What a message looks like to a dry run: the parts a rule can look at.</summary>
[GenerateSerializer, Immutable]
public sealed record SampleMessage(
    [property: Id(0)] string? Text,
    [property: Id(1)] string? ChannelId,
    [property: Id(2)] string? Visibility,
    [property: Id(3)] string? ConversationId,
    [property: Id(4)] DateTimeOffset? At);

/// <summary>A dry run's answer: whether the rule would fire on the message, why, and what it would do. Nothing is changed.</summary>
[GenerateSerializer, Immutable]
public sealed record DryRun(
    [property: Id(0)] bool WouldFire,
    [property: Id(1)] MatchReport Report,
    [property: Id(2)] IReadOnlyList<string> WouldDo,
    [property: Id(3)] string? Note);

/// <summary>Why a run did not do everything it was for; also the counters' reasons.</summary>
public static class RunReasons
{
    public const string Cooldown = "cooldown";
    public const string ConversationGone = "conversation-gone";
    public const string Error = "error";
    public const string LoyaltyUnavailable = "loyalty-unavailable";
}

/// <summary>How a run ended: every action done (<c>fired</c>), some refused (<c>failed</c>), or nothing done (<c>skipped</c>).</summary>
public static class RunStatuses
{
    public const string Fired = "fired";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
