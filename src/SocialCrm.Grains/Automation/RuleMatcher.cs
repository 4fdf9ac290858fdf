using System.Globalization;
using SocialCrm.Abstractions.Automation;
using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Grains.Automation;

/// <summary>
/// Whether a rule's conditions hold for a message. A rule is compiled once (phrases normalized, value
/// lists made sets) and checked against many messages; to check many rules against one message, use one
/// <see cref="RuleEvaluator"/>, which cuts the text into words and asks for costly facts once at most.
/// Only conditions are checked here: the trigger, <see cref="AutomationRule.Enabled"/> and the order of
/// rules are the caller's.
/// </summary>
public static class RuleMatcher
{
    /// <summary>
    /// Compiles a rule, trusting that it passed <see cref="RuleValidation"/>: a condition it would have
    /// refused (an unknown field or operator) never matches.
    /// </summary>
    public static CompiledRule Compile(AutomationRule rule)
    {
        var items = rule.Conditions?.Items ?? [];
        var conditions = new List<CompiledCondition>(items.Count);
        for (var i = 0; i < items.Count; i++)
            if (items[i] is { } item) conditions.Add(CompiledCondition.Of(i, item));
        return new CompiledRule(rule, rule.Conditions?.Match == RuleValues.MatchAny, conditions);
    }

    /// <summary>Whether the rule has a condition on facts that cost a call (consent, segments).</summary>
    public static bool NeedsCustomerFacts(CompiledRule rule) => rule.NeedsCustomerFacts;

    /// <summary>Checks one rule against one message; see <see cref="RuleEvaluator"/> for several rules.</summary>
    public static ValueTask<bool> MatchesAsync(CompiledRule rule, RuleFacts facts, IRuleFactSource source, AutomationSettings settings) =>
        new RuleEvaluator(facts, source, settings).MatchesAsync(rule);

    /// <summary>Checks every condition of one rule against one message and says why each holds or not (the dry run).</summary>
    public static ValueTask<MatchReport> ExplainAsync(CompiledRule rule, RuleFacts facts, IRuleFactSource source, AutomationSettings settings) =>
        new RuleEvaluator(facts, source, settings).ExplainAsync(rule);
}

/// <summary>A rule ready to be checked: its conditions compiled and ordered cheapest first.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(AutomationRule rule, bool matchAny, List<CompiledCondition> conditions)
    {
        Rule = rule;
        MatchAny = matchAny;
        Conditions = conditions;
        // Stable: conditions of the same cost keep the author's order.
        ByCost = [.. conditions.OrderBy(c => c.Cost)];
        NeedsCustomerFacts = conditions.Any(c => c.Cost == CompiledCondition.CallCost);
    }

    public AutomationRule Rule { get; }

    /// <summary>True when one condition is enough (<c>any</c>), false when all must hold.</summary>
    public bool MatchAny { get; }

    internal IReadOnlyList<CompiledCondition> Conditions { get; }

    internal IReadOnlyList<CompiledCondition> ByCost { get; }

    internal bool NeedsCustomerFacts { get; }
}

/// <summary>
/// Checks rules against one message: the facts that cost something (the words of the text, business
/// hours, consent, segments) are worked out or asked for the first time a rule needs them, then kept
/// for the next rules. One per message; not for use by two callers at once.
/// </summary>
public sealed class RuleEvaluator(RuleFacts facts, IRuleFactSource source, AutomationSettings settings)
{
    private TokenizedText? _words;
    private bool? _inside;
    private HashSet<string>? _tags;
    private HashSet<string>? _segments;
    private readonly Dictionary<string, string> _consents = new(StringComparer.Ordinal);

    /// <summary>Whether the rule's conditions hold: cheap conditions first, stopping as soon as the answer is known.</summary>
    public async ValueTask<bool> MatchesAsync(CompiledRule rule)
    {
        foreach (var condition in rule.ByCost)
        {
            var matched = condition.Cost == CompiledCondition.CallCost
                ? await CheckCustomerAsync(condition, null)
                : Check(condition, null);
            // The first true decides "any", the first false decides "all".
            if (matched == rule.MatchAny) return matched;
        }
        return !rule.MatchAny || rule.ByCost.Count == 0;
    }

    /// <summary>Checks every condition, in the rule's order, and reports each verdict with the reason.</summary>
    public async ValueTask<MatchReport> ExplainAsync(CompiledRule rule)
    {
        var reports = new List<ConditionReport>(rule.Conditions.Count);
        foreach (var condition in rule.Conditions)
        {
            var detail = new Detail();
            var matched = condition.Cost == CompiledCondition.CallCost
                ? await CheckCustomerAsync(condition, detail)
                : Check(condition, detail);
            reports.Add(new ConditionReport(condition.Index, condition.Field, matched, detail.Text));
        }
        var overall = reports.Count == 0 || (rule.MatchAny ? reports.Any(r => r.Matched) : reports.All(r => r.Matched));
        return new MatchReport(overall, reports);
    }

    private bool Check(CompiledCondition c, Detail? detail)
    {
        switch (c.Field)
        {
            case RuleFields.Channel: return InList(c, facts.ChannelId, "channel", detail);
            case RuleFields.Platform: return InList(c, facts.Platform, "platform", detail);
            case RuleFields.Status: return InList(c, facts.Status, "status", detail);
            case RuleFields.Priority: return InList(c, facts.Priority, "priority", detail);
            case RuleFields.Visibility: return Is(c, facts.Visibility, "the conversation is " + facts.Visibility, detail);
            case RuleFields.Customer:
                var kind = facts.IsNewCustomer switch { true => RuleValues.NewCustomer, false => RuleValues.ReturningCustomer, null => null };
                return Is(c, kind, kind is null ? "whether the customer is new is not known" : "the customer is " + kind, detail);
            case RuleFields.BusinessHours:
                var side = (_inside ??= BusinessHours.IsInside(settings, facts.At)) ? RuleValues.Inside : RuleValues.Outside;
                return Is(c, side, detail is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{BusinessHours.LocalTime(settings, facts.At):dddd HH:mm} in {settings.TimeZone} is {side} business hours"), detail);
            case RuleFields.Sentiment: return Sentiment(c, detail);
            case RuleFields.Text: return Text(c, detail);
            case RuleFields.Tag: return Tag(c, detail);
            case RuleFields.Assignee: return Assignee(c, detail);
            default: return Unknown(c, detail);
        }
    }

    private async ValueTask<bool> CheckCustomerAsync(CompiledCondition c, Detail? detail)
    {
        if (c.Field == RuleFields.Consent && c.Operator == RuleOperators.Is && c.List is [var purpose, var wanted])
        {
            if (!_consents.TryGetValue(purpose, out var status)) _consents[purpose] = status = await source.ConsentStatus(purpose);
            detail?.Set($"{purpose} consent is {status}");
            return status == wanted;
        }
        if (c.Field == RuleFields.Segment && c.Operator is RuleOperators.In or RuleOperators.NotIn)
        {
            _segments ??= new HashSet<string>(await source.Segments(), StringComparer.Ordinal);
            var overlap = c.Values.Overlaps(_segments);
            detail?.Set(_segments.Count == 0 ? "the customer is in no segment" : "the customer's segments: " + string.Join(", ", _segments.Order(StringComparer.Ordinal)));
            return c.Operator == RuleOperators.In ? overlap : !overlap;
        }
        return Unknown(c, detail);
    }

    private static bool InList(CompiledCondition c, string? value, string what, Detail? detail)
    {
        var contains = value is not null && c.Values.Contains(value);
        detail?.Set($"{what} {(string.IsNullOrEmpty(value) ? "(none)" : value)} is {(contains ? "" : "not ")}in the list");
        return c.Operator switch
        {
            RuleOperators.In => contains,
            RuleOperators.NotIn => !contains,
            _ => Unknown(c, detail),
        };
    }

    private static bool Is(CompiledCondition c, string? value, string fact, Detail? detail)
    {
        if (c.Operator != RuleOperators.Is) return Unknown(c, detail);
        detail?.Set(fact);
        return value is not null && c.Values.Contains(value);
    }

    private bool Sentiment(CompiledCondition c, Detail? detail)
    {
        switch (c.Operator)
        {
            case RuleOperators.LabelIn:
                detail?.Set(facts.SentimentLabel is { } label ? "the sentiment is " + label : "the message has no sentiment");
                return facts.SentimentLabel is not null && c.Values.Contains(facts.SentimentLabel);
            case RuleOperators.ScoreBetween:
                detail?.Set(facts.SentimentScore is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"the sentiment score {s:0.###} is {(s >= c.Min && s <= c.Max ? "" : "not ")}between {c.Min} and {c.Max}")
                    : "the message has no sentiment");
                return facts.SentimentScore is { } score && score >= c.Min && score <= c.Max;
            default:
                return Unknown(c, detail);
        }
    }

    private bool Text(CompiledCondition c, Detail? detail)
    {
        var phrases = c.Phrases!;
        var words = _words ??= TextMatch.Tokenize(facts.MessageText);
        if (detail is not null)
        {
            // The dry run names the rule's own phrases that were found, never the message's words.
            var found = phrases.FoundIn(words);
            detail.Set(found.Count == 0
                ? $"none of the {phrases.Count} phrases is in the text"
                : $"found {found.Count} of {phrases.Count}: " + string.Join(", ", found));
        }
        return c.Operator switch
        {
            RuleOperators.ContainsAny => phrases.AnyIn(words),
            RuleOperators.ContainsAll => phrases.AllIn(words),
            RuleOperators.ContainsNone => !phrases.AnyIn(words),
            _ => Unknown(c, detail),
        };
    }

    private bool Tag(CompiledCondition c, Detail? detail)
    {
        var tags = _tags ??= new HashSet<string>(facts.Tags.Select(Tags.Normalize), StringComparer.Ordinal);
        detail?.Set(tags.Count == 0 ? "the conversation has no tags" : "the conversation's tags: " + string.Join(", ", tags.Order(StringComparer.Ordinal)));
        return c.Operator switch
        {
            RuleOperators.HasAny => c.Values.Overlaps(tags),
            RuleOperators.HasAll => c.Values.Count > 0 && c.Values.IsSubsetOf(tags),
            RuleOperators.HasNone => !c.Values.Overlaps(tags),
            _ => Unknown(c, detail),
        };
    }

    private bool Assignee(CompiledCondition c, Detail? detail)
    {
        var assignee = string.IsNullOrEmpty(facts.Assignee) ? null : facts.Assignee;
        detail?.Set(assignee is null ? "the conversation is not assigned" : "the conversation is assigned to " + assignee);
        return c.Operator switch
        {
            RuleOperators.IsNone => assignee is null,
            RuleOperators.IsAny => assignee is not null,
            RuleOperators.In => assignee is not null && c.Values.Contains(assignee),
            _ => Unknown(c, detail),
        };
    }

    private static bool Unknown(CompiledCondition c, Detail? detail)
    {
        detail?.Set($"the condition {c.Field} {c.Operator} is not known: it never matches");
        return false;
    }

    /// <summary>The reason of one verdict, written only when a dry run asks for it.</summary>
    private sealed class Detail
    {
        public string Text { get; private set; } = "";

        public void Set(string text) => Text = text;
    }
}

/// <summary>One condition ready to be checked, with its values as a set and its phrases compiled.</summary>
internal sealed class CompiledCondition
{
    /// <summary>The cost of a condition that asks the <see cref="IRuleFactSource"/>.</summary>
    public const int CallCost = 3;

    private CompiledCondition(int index, string field, string op, IReadOnlyList<string> list, HashSet<string> values,
        PhraseSet? phrases, double min, double max)
    {
        Index = index;
        Field = field;
        Operator = op;
        List = list;
        Values = values;
        Phrases = phrases;
        Min = min;
        Max = max;
        Cost = field switch
        {
            RuleFields.Consent or RuleFields.Segment => CallCost,
            RuleFields.Text => 2,
            RuleFields.BusinessHours => 1,
            _ => 0,
        };
    }

    public int Index { get; }
    public string Field { get; }
    public string Operator { get; }
    public IReadOnlyList<string> List { get; }
    public HashSet<string> Values { get; }
    public PhraseSet? Phrases { get; }
    public double Min { get; }
    public double Max { get; }
    public int Cost { get; }

    public static CompiledCondition Of(int index, RuleCondition condition)
    {
        var list = (condition.Values ?? []).Where(v => v is not null).ToArray();
        var field = condition.Field ?? "";
        // Tags compare in their normal form, however the rule's author wrote them.
        var values = field == RuleFields.Tag ? list.Select(Tags.Normalize) : list;
        return new CompiledCondition(index, field, condition.Operator ?? "", list, new HashSet<string>(values, StringComparer.Ordinal),
            field == RuleFields.Text ? TextMatch.Compile(list) : null,
            condition.Min ?? double.NaN, condition.Max ?? double.NaN);
    }
}
