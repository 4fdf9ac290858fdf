namespace SocialCrm.Grains.Automation;

/// <summary>
/// What a rule is checked against, at hand when a trigger fires: the message (null text when the
/// trigger has none) and its conversation, by wire names. Facts that cost a call come from an
/// <see cref="IRuleFactSource"/>, and only when a rule asks.
/// </summary>
/// <param name="SentimentScore">The message's sentiment in [-1, 1], or null when it has none (no sentiment condition matches then).</param>
/// <param name="IsNewCustomer">Whether this is the customer's first conversation with the brand, or null when unknown (no customer condition matches then).</param>
/// <param name="At">When the message arrived (or the trigger fired): business hours are judged at this instant.</param>
public sealed record RuleFacts(
    string? MessageText,
    string ChannelId,
    string Platform,
    string Visibility,
    double? SentimentScore,
    string? SentimentLabel,
    bool? IsNewCustomer,
    string Status,
    IReadOnlyCollection<string> Tags,
    string? Assignee,
    string Priority,
    DateTimeOffset At)
{
    /// <summary>The facts of a trigger without a conversation (<c>insight-alert</c>): only the time is known.</summary>
    public static RuleFacts WithoutConversation(DateTimeOffset at) =>
        new(null, "", "", "", null, null, null, "", [], null, "", at);
}

/// <summary>
/// The facts about the customer that cost a call, asked lazily: at most once per message each, and
/// only by a rule that has a condition on them (the <see cref="RuleEvaluator"/> keeps the answers).
/// </summary>
public interface IRuleFactSource
{
    /// <summary>The customer's consent for a purpose (wire name): <c>granted</c> only while in effect, else <c>withdrawn</c> or <c>unknown</c>.</summary>
    ValueTask<string> ConsentStatus(string purposeWire);

    /// <summary>The customer's segments by wire name (<c>advocate</c>, <c>detractor</c>, <c>helper</c>, <c>power-user</c>).</summary>
    ValueTask<IReadOnlyCollection<string>> Segments();
}
