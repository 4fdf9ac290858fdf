using System.Text;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Abstractions.Automation;

/// <summary>
/// What makes an automation rule or the automation settings acceptable, each error named by its
/// JSON path (<c>conditions.items[2].values</c>, <c>actions[0].template</c>). Lists that JSON left
/// out count as empty.
/// </summary>
public static class RuleValidation
{
    public const int MaxNameLength = 100;
    public const int MaxOrder = 100_000;
    public const int MaxConditions = 30;
    public const int MaxActions = 20;
    public const int MaxNoReplyMinutes = 10_080;
    public const int MaxPhrases = 100;
    public const int MaxPhraseLength = 200;
    public const int MaxListValues = 100;
    public const int MaxPoints = 100_000;
    public const int MaxCooldownMinutes = 10_080;
    public const int MaxTimeZoneLength = 100;

    public static void Validate(AutomationRule rule, FieldErrors errors)
    {
        errors.Id("id", rule.Id);
        errors.RequiredLine("name", rule.Name, MaxNameLength);
        if (rule.Order is < 0 or > MaxOrder) errors.Add("order", $"must be between 0 and {MaxOrder}.");
        var trigger = ValidateTrigger(rule.Trigger, errors);
        var brandOnly = trigger == RuleTriggers.InsightAlert;
        ValidateConditions(rule.Conditions, brandOnly, errors);
        ValidateActions(rule.Actions, brandOnly, errors);
    }

    public static void Validate(AutomationSettings settings, FieldErrors errors)
    {
        if (errors.RequiredLine("timeZone", settings.TimeZone, MaxTimeZoneLength) is { } zone
            && !string.IsNullOrWhiteSpace(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            errors.Add("timeZone", "must be a time zone such as Europe/Paris or UTC.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var days = settings.BusinessHours ?? [];
        if (days.Count > RuleValues.Days.Count) errors.Add("businessHours", "must list each day at most once.");
        for (var i = 0; i < days.Count && i < RuleValues.Days.Count; i++)
        {
            var path = $"businessHours[{i}]";
            if (days[i] is not { } day)
            {
                errors.Add(path, "is required.");
                continue;
            }
            if (!RuleValues.Days.Contains(day.Day)) errors.Add(path + ".day", "must be one of: " + string.Join(", ", RuleValues.Days) + ".");
            else if (!seen.Add(day.Day)) errors.Add(path + ".day", "is listed twice.");
            var opens = ClockTime.TryParse(day.Opens, allowEndOfDay: false, out var from);
            var closes = ClockTime.TryParse(day.Closes, allowEndOfDay: true, out var to);
            if (!opens) errors.Add(path + ".opens", "must be a time HH:mm from 00:00 to 23:59.");
            if (!closes) errors.Add(path + ".closes", "must be a time HH:mm from 00:01 to 24:00.");
            else if (opens && to <= from) errors.Add(path + ".closes", "must be after opens.");
        }
        if (settings.AutoReplyCooldownMinutes is < 0 or > MaxCooldownMinutes)
            errors.Add("autoReplyCooldownMinutes", $"must be between 0 and {MaxCooldownMinutes}.");
    }

    private static string? ValidateTrigger(RuleTrigger? trigger, FieldErrors errors)
    {
        if (trigger is null)
        {
            errors.Add("trigger", "is required.");
            return null;
        }
        if (!OneOf(trigger.Type, RuleTriggers.All, "trigger.type", errors)) return null;
        if (trigger.Type == RuleTriggers.NoAgentReply)
        {
            if (trigger.Minutes is not (>= 1 and <= MaxNoReplyMinutes))
                errors.Add("trigger.minutes", $"must be between 1 and {MaxNoReplyMinutes} for {RuleTriggers.NoAgentReply}.");
        }
        else if (trigger.Minutes is not null)
        {
            errors.Add("trigger.minutes", $"is only for {RuleTriggers.NoAgentReply}.");
        }
        return trigger.Type;
    }

    private static void ValidateConditions(RuleConditions? conditions, bool brandOnly, FieldErrors errors)
    {
        // Left out, the rule has no conditions and always matches.
        if (conditions is null) return;
        OneOf(conditions.Match, [RuleValues.MatchAll, RuleValues.MatchAny], "conditions.match", errors);
        var items = conditions.Items ?? [];
        if (items.Count > MaxConditions) errors.Add("conditions.items", $"must have at most {MaxConditions} conditions.");
        for (var i = 0; i < items.Count && i < MaxConditions; i++)
        {
            var path = $"conditions.items[{i}]";
            if (items[i] is not { } condition) errors.Add(path, "is required.");
            else if (brandOnly && condition.Field != RuleFields.BusinessHours)
                errors.Add(path + ".field", $"must be {RuleFields.BusinessHours} with the {RuleTriggers.InsightAlert} trigger, which has no conversation.");
            else ValidateCondition(condition, path, errors);
        }
    }

    private static void ValidateCondition(RuleCondition condition, string path, FieldErrors errors)
    {
        if (!OneOf(condition.Field, RuleFields.All, path + ".field", errors)) return;
        var op = condition.Operator;
        var values = new Values(condition.Values, path + ".values", errors);
        switch (condition.Field)
        {
            case RuleFields.Channel when Operator(op, path, errors, RuleOperators.In, RuleOperators.NotIn):
                values.Each(1, MaxListValues, (v, p) => errors.Id(p, v));
                break;
            case RuleFields.Platform when Operator(op, path, errors, RuleOperators.In, RuleOperators.NotIn):
                values.Among(Enum.GetValues<Platform>().Select(p => WireNames.Of(p)).ToArray());
                break;
            case RuleFields.Visibility when Operator(op, path, errors, RuleOperators.Is):
                values.Single(Enum.GetValues<Visibility>().Select(v => WireNames.Of(v)).ToArray());
                break;
            case RuleFields.Text when Operator(op, path, errors, RuleOperators.ContainsAny, RuleOperators.ContainsAll, RuleOperators.ContainsNone):
                values.Each(1, MaxPhrases, Phrase);
                break;
            case RuleFields.Sentiment when Operator(op, path, errors, RuleOperators.LabelIn, RuleOperators.ScoreBetween):
                if (op == RuleOperators.LabelIn) values.Among(RuleValues.SentimentLabels);
                else values.None(RuleOperators.ScoreBetween);
                break;
            case RuleFields.Segment when Operator(op, path, errors, RuleOperators.In, RuleOperators.NotIn):
                values.Among(RuleValues.Segments);
                break;
            case RuleFields.Customer when Operator(op, path, errors, RuleOperators.Is):
                values.Single([RuleValues.NewCustomer, RuleValues.ReturningCustomer]);
                break;
            case RuleFields.Consent when Operator(op, path, errors, RuleOperators.Is):
                if (values.Count != 2)
                {
                    errors.Add(path + ".values", "must be [purpose, status], e.g. [\"marketing\", \"granted\"].");
                    break;
                }
                errors.Enum<Purpose>(path + ".values[0]", condition.Values![0]);
                errors.Enum<ConsentStatus>(path + ".values[1]", condition.Values![1]);
                break;
            case RuleFields.BusinessHours when Operator(op, path, errors, RuleOperators.Is):
                values.Single([RuleValues.Inside, RuleValues.Outside]);
                break;
            case RuleFields.Status when Operator(op, path, errors, RuleOperators.In, RuleOperators.NotIn):
                values.Among(Enum.GetValues<ConversationStatus>().Select(s => WireNames.Of(s)).ToArray());
                break;
            case RuleFields.Tag when Operator(op, path, errors, RuleOperators.HasAny, RuleOperators.HasAll, RuleOperators.HasNone):
                values.Each(1, Tags.MaxPerConversation, (v, p) => Tag(v, p, errors));
                break;
            case RuleFields.Assignee when Operator(op, path, errors, RuleOperators.IsNone, RuleOperators.IsAny, RuleOperators.In):
                if (op == RuleOperators.In) values.Each(1, MaxListValues, (v, p) => errors.Id(p, v));
                else values.None(op);
                break;
            case RuleFields.Priority when Operator(op, path, errors, RuleOperators.In, RuleOperators.NotIn):
                values.Among(RuleValues.Priorities);
                break;
        }
        if (condition.Field == RuleFields.Sentiment && op == RuleOperators.ScoreBetween)
        {
            var min = Score(condition.Min, path + ".min", errors);
            var max = Score(condition.Max, path + ".max", errors);
            if (min is { } lo && max is { } hi && lo > hi) errors.Add(path + ".max", "must not be below min.");
        }
        else
        {
            if (condition.Min is not null) errors.Add(path + ".min", $"is only for {RuleOperators.ScoreBetween}.");
            if (condition.Max is not null) errors.Add(path + ".max", $"is only for {RuleOperators.ScoreBetween}.");
        }

        void Phrase(string? value, string p)
        {
            if (errors.Required(p, value, MaxPhraseLength) is { } phrase && !string.IsNullOrWhiteSpace(phrase)
                && !phrase.EnumerateRunes().Any(Rune.IsLetterOrDigit))
                errors.Add(p, "must contain a letter or a digit: words are matched, not punctuation or emoji.");
        }
    }

    private static double? Score(double? value, string field, FieldErrors errors)
    {
        if (value is not { } score) errors.Add(field, "is required.");
        else if (!(score >= -1 && score <= 1)) errors.Add(field, "must be between -1 and 1.");
        else return score;
        return null;
    }

    private static void ValidateActions(IReadOnlyList<RuleAction>? actions, bool brandOnly, FieldErrors errors)
    {
        actions ??= [];
        if (actions.Count is 0 or > MaxActions) errors.Add("actions", $"must have 1 to {MaxActions} actions.");
        var replies = 0;
        var takes = 0;
        for (var i = 0; i < actions.Count && i < MaxActions; i++)
        {
            var path = $"actions[{i}]";
            if (actions[i] is not { } action)
            {
                errors.Add(path, "is required.");
                continue;
            }
            if (!OneOf(action.Type, RuleActions.All, path + ".type", errors)) continue;
            if (brandOnly && action.Type != RuleActions.Webhook)
                errors.Add(path + ".type", $"must be {RuleActions.Webhook} with the {RuleTriggers.InsightAlert} trigger, which has no conversation.");
            if (action.Type == RuleActions.Reply && ++replies > 1) errors.Add(path + ".type", "a rule replies at most once.");
            if (action.Type == RuleActions.TakePrivate && ++takes > 1) errors.Add(path + ".type", "a rule takes the conversation private at most once.");
            ValidateAction(action, path, errors);
        }
    }

    private static void ValidateAction(RuleAction action, string path, FieldErrors errors)
    {
        switch (action.Type)
        {
            case RuleActions.Reply:
                Unused(action, path, errors, nameof(RuleAction.Template), nameof(RuleAction.Purpose));
                Template(errors.Required(path + ".template", action.Template, RuleTemplates.MaxLength), path + ".template", errors);
                if (action.Purpose is not null) OneOf(action.Purpose, RuleValues.ReplyPurposes, path + ".purpose", errors);
                break;
            case RuleActions.TakePrivate:
                Unused(action, path, errors, nameof(RuleAction.Template), nameof(RuleAction.PublicTemplate));
                Template(errors.Optional(path + ".template", action.Template, RuleTemplates.MaxLength), path + ".template", errors);
                Template(errors.Optional(path + ".publicTemplate", action.PublicTemplate, RuleTemplates.MaxLength), path + ".publicTemplate", errors);
                break;
            case RuleActions.Assign:
                Unused(action, path, errors, nameof(RuleAction.AgentId), nameof(RuleAction.TeamId));
                if ((action.AgentId is null) == (action.TeamId is null))
                    errors.Add(path + ".agentId", "give exactly one of agentId and teamId.");
                else if (action.AgentId is not null) errors.Id(path + ".agentId", action.AgentId);
                else errors.Id(path + ".teamId", action.TeamId);
                break;
            case RuleActions.SetStatus:
                Unused(action, path, errors, nameof(RuleAction.Status));
                errors.Enum<ConversationStatus>(path + ".status", action.Status);
                break;
            case RuleActions.AddTags or RuleActions.RemoveTags:
                Unused(action, path, errors, nameof(RuleAction.Tags));
                new Values(action.Tags, path + ".tags", errors).Each(1, Tags.MaxPerConversation, (v, p) => Tag(v, p, errors));
                break;
            case RuleActions.SetPriority:
                Unused(action, path, errors, nameof(RuleAction.Priority));
                OneOf(action.Priority, RuleValues.Priorities, path + ".priority", errors);
                break;
            case RuleActions.AwardPoints:
                Unused(action, path, errors, nameof(RuleAction.Points));
                if (action.Points is not (>= 1 and <= MaxPoints)) errors.Add(path + ".points", $"must be between 1 and {MaxPoints}.");
                break;
            case RuleActions.PassToBot:
                Unused(action, path, errors, nameof(RuleAction.BotId));
                errors.Id(path + ".botId", action.BotId);
                break;
            case RuleActions.PassToHuman or RuleActions.Webhook:
                Unused(action, path, errors);
                break;
        }
    }

    private static void Template(string? template, string field, FieldErrors errors)
    {
        if (template is not null && !TextRules.HasNul(template)) RuleTemplates.Validate(template, field, errors);
    }

    private static void Tag(string? value, string field, FieldErrors errors)
    {
        if (value is null || !Tags.IsValid(Tags.Normalize(value))) errors.Add(field, Tags.Refusal);
    }

    // A field the action type does not read is refused rather than ignored, so a misplaced value is seen at once.
    private static void Unused(RuleAction action, string path, FieldErrors errors, params string[] used)
    {
        Check(nameof(RuleAction.Template), action.Template);
        Check(nameof(RuleAction.Purpose), action.Purpose);
        Check(nameof(RuleAction.AgentId), action.AgentId);
        Check(nameof(RuleAction.TeamId), action.TeamId);
        Check(nameof(RuleAction.Status), action.Status);
        Check(nameof(RuleAction.Tags), action.Tags);
        Check(nameof(RuleAction.Priority), action.Priority);
        Check(nameof(RuleAction.Points), action.Points);
        Check(nameof(RuleAction.BotId), action.BotId);
        Check(nameof(RuleAction.PublicTemplate), action.PublicTemplate);

        void Check(string name, object? value)
        {
            if (value is not null && !used.Contains(name)) errors.Add($"{path}.{JsonName(name)}", $"is not used by {action.Type}.");
        }
    }

    private static string JsonName(string member) => char.ToLowerInvariant(member[0]) + member[1..];

    private static bool Operator(string? op, string path, FieldErrors errors, params string[] allowed) =>
        OneOf(op, allowed, path + ".operator", errors);

    private static bool OneOf(string? value, IReadOnlyList<string> allowed, string field, FieldErrors errors)
    {
        if (value is null) errors.Add(field, "is required.");
        else if (allowed.Contains(value)) return true;
        else errors.Add(field, "must be one of: " + string.Join(", ", allowed) + ".");
        return false;
    }

    /// <summary>The values list of a condition or action, with the checks its fields share.</summary>
    private readonly struct Values(IReadOnlyList<string>? list, string path, FieldErrors errors)
    {
        private readonly IReadOnlyList<string> _list = list ?? [];

        public int Count => _list.Count;

        public void Each(int min, int max, Action<string?, string> check)
        {
            if (_list.Count < min || _list.Count > max)
            {
                errors.Add(path, min == max ? $"must have exactly {min} value{(min == 1 ? "" : "s")}." : $"must have {min} to {max} values.");
                if (_list.Count > max) return;
            }
            for (var i = 0; i < _list.Count; i++) check(_list[i], $"{path}[{i}]");
        }

        public void Among(IReadOnlyList<string> allowed)
        {
            var errs = errors;
            Each(1, allowed.Count, (v, p) => RuleValidation.OneOf(v, allowed, p, errs));
        }

        public void Single(IReadOnlyList<string> allowed)
        {
            var errs = errors;
            Each(1, 1, (v, p) => RuleValidation.OneOf(v, allowed, p, errs));
        }

        public void None(string op)
        {
            if (_list.Count > 0) errors.Add(path, $"must be empty for {op}.");
        }
    }
}
