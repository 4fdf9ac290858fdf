using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>What a rule and the automation settings may be, each error named by the JSON path a form shows it next to.</summary>
public sealed class RuleValidationTests
{
    private static readonly RuleAction Webhook = new(RuleActions.Webhook);

    private static AutomationRule Rule(IReadOnlyList<RuleCondition>? conditions = null, IReadOnlyList<RuleAction>? actions = null,
        RuleTrigger? trigger = null, string match = RuleValues.MatchAll) =>
        new("welcome", "Welcome", 10, true, trigger ?? new RuleTrigger(RuleTriggers.MessageReceived),
            new RuleConditions(match, conditions ?? []), actions ?? [Webhook]);

    private static IDictionary<string, string[]> Errors(AutomationRule rule)
    {
        var errors = new FieldErrors();
        RuleValidation.Validate(rule, errors);
        return errors.ToDictionary();
    }

    private static IDictionary<string, string[]> Errors(AutomationSettings settings)
    {
        var errors = new FieldErrors();
        RuleValidation.Validate(settings, errors);
        return errors.ToDictionary();
    }

    private static RuleCondition Condition(string field, string op, params string[] values) => new(field, op, values);

    [Fact]
    public void A_rule_using_every_condition_and_every_action_is_accepted()
    {
        var rule = Rule(
            [
                Condition(RuleFields.Channel, RuleOperators.In, "ch_1", "ch-2"),
                Condition(RuleFields.Platform, RuleOperators.NotIn, "x", "webchat"),
                Condition(RuleFields.Visibility, RuleOperators.Is, "public"),
                Condition(RuleFields.Text, RuleOperators.ContainsAny, "order", "where is my parcel?", "commande"),
                Condition(RuleFields.Sentiment, RuleOperators.LabelIn, "negative", "neutral"),
                new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, -1, -0.25),
                Condition(RuleFields.Segment, RuleOperators.In, "advocate", "power-user"),
                Condition(RuleFields.Customer, RuleOperators.Is, "new"),
                Condition(RuleFields.Consent, RuleOperators.Is, "public_display", "granted"),
                Condition(RuleFields.BusinessHours, RuleOperators.Is, "outside"),
                Condition(RuleFields.Status, RuleOperators.In, "open", "snoozed"),
                Condition(RuleFields.Tag, RuleOperators.HasNone, "VIP Customer", "billing:late"),
                new RuleCondition(RuleFields.Assignee, RuleOperators.IsNone),
                Condition(RuleFields.Assignee, RuleOperators.In, "agent-7"),
                Condition(RuleFields.Priority, RuleOperators.NotIn, "urgent"),
            ],
            [
                new RuleAction(RuleActions.TakePrivate, Template: "Hi {customer.first_name}, {{ref}} {conversation.id}", PublicTemplate: "We sent you a message."),
                new RuleAction(RuleActions.Reply, Template: "Thanks for writing to {brand.name} on {channel.name}.", Purpose: "marketing"),
                new RuleAction(RuleActions.Assign, TeamId: "billing"),
                new RuleAction(RuleActions.SetStatus, Status: "pending"),
                new RuleAction(RuleActions.AddTags, Tags: ["late-delivery", "Kundenservice"]),
                new RuleAction(RuleActions.RemoveTags, Tags: ["new"]),
                new RuleAction(RuleActions.SetPriority, Priority: "high"),
                new RuleAction(RuleActions.AwardPoints, Points: 100_000),
                new RuleAction(RuleActions.PassToBot, BotId: "faq-bot"),
                new RuleAction(RuleActions.PassToHuman),
                Webhook,
            ],
            match: RuleValues.MatchAny);

        Assert.Empty(Errors(rule));
    }

    [Fact]
    public void The_id_name_and_order_are_checked()
    {
        var errors = Errors(Rule() with { Id = "no spaces", Name = "two\nlines", Order = 100_001 });

        Assert.Equal(["id", "name", "order"], errors.Keys.Order());
    }

    [Fact]
    public void A_wrong_platform_is_named_by_its_place_in_the_values()
    {
        var errors = Errors(Rule(
            [
                Condition(RuleFields.Channel, RuleOperators.In, "ch1"),
                Condition(RuleFields.Status, RuleOperators.In, "open"),
                Condition(RuleFields.Platform, RuleOperators.In, "messenger", "facebook"),
            ]));

        var error = Assert.Single(errors);
        Assert.Equal("conditions.items[2].values[1]", error.Key);
        Assert.Equal("must be one of: messenger, instagram, whatsapp, x, webchat.", Assert.Single(error.Value));
    }

    [Theory]
    [InlineData(RuleFields.Text, RuleOperators.In)]
    [InlineData(RuleFields.Channel, RuleOperators.ContainsAny)]
    [InlineData(RuleFields.Assignee, RuleOperators.NotIn)]
    [InlineData(RuleFields.Sentiment, RuleOperators.Is)]
    public void An_operator_the_field_does_not_know_is_refused(string field, string op) =>
        Assert.Equal(["conditions.items[0].operator"], Errors(Rule([Condition(field, op, "x")])).Keys);

    [Fact]
    public void An_unknown_field_is_refused() =>
        Assert.Equal(["conditions.items[0].field"], Errors(Rule([Condition("language", RuleOperators.Is, "fr")])).Keys);

    [Fact]
    public void Conditions_join_by_all_or_any_only() =>
        Assert.Equal(["conditions.match"], Errors(Rule([], match: "most")).Keys);

    [Fact]
    public void Text_phrases_must_be_words_of_at_most_200_characters()
    {
        var errors = Errors(Rule([Condition(RuleFields.Text, RuleOperators.ContainsAll, "refund", "!!! 🙂", new string('a', 201), " ")]));

        Assert.Equal(["conditions.items[0].values[1]", "conditions.items[0].values[2]", "conditions.items[0].values[3]"], errors.Keys.Order());
    }

    [Fact]
    public void Text_takes_1_to_100_phrases()
    {
        var tooMany = Enumerable.Range(0, 101).Select(i => "word" + i).ToArray();

        Assert.Equal(["conditions.items[0].values"], Errors(Rule([Condition(RuleFields.Text, RuleOperators.ContainsAny, tooMany)])).Keys);
        Assert.Equal(["conditions.items[0].values"], Errors(Rule([Condition(RuleFields.Text, RuleOperators.ContainsAny)])).Keys);
        Assert.Empty(Errors(Rule([Condition(RuleFields.Text, RuleOperators.ContainsAny, tooMany[..100])])));
    }

    [Fact]
    public void A_score_range_lies_in_minus_one_to_one_with_min_not_above_max()
    {
        var outside = Errors(Rule([new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, -1.5, 0)]));
        var reversed = Errors(Rule([new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, 0.5, 0.2)]));
        var missing = Errors(Rule([new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, 0.5)]));

        Assert.Equal(["conditions.items[0].min"], outside.Keys);
        Assert.Equal(["conditions.items[0].max"], reversed.Keys);
        Assert.Equal(["conditions.items[0].max"], missing.Keys);
    }

    [Fact]
    public void Min_and_max_belong_to_score_between_only() =>
        Assert.Equal(["conditions.items[0].min"],
            Errors(Rule([new RuleCondition(RuleFields.Sentiment, RuleOperators.LabelIn, ["negative"], Min: 0)])).Keys);

    [Fact]
    public void Consent_names_a_purpose_then_a_status()
    {
        Assert.Equal(["conditions.items[0].values[0]", "conditions.items[0].values[1]"],
            Errors(Rule([Condition(RuleFields.Consent, RuleOperators.Is, "publicity", "yes")])).Keys.Order());
        Assert.Equal(["conditions.items[0].values"], Errors(Rule([Condition(RuleFields.Consent, RuleOperators.Is, "marketing")])).Keys);
    }

    [Fact]
    public void Is_takes_exactly_one_value_and_is_none_takes_none()
    {
        Assert.Equal(["conditions.items[0].values"], Errors(Rule([Condition(RuleFields.Visibility, RuleOperators.Is, "public", "private")])).Keys);
        Assert.Equal(["conditions.items[0].values"], Errors(Rule([Condition(RuleFields.Assignee, RuleOperators.IsNone, "agent-1")])).Keys);
    }

    [Fact]
    public void A_rule_has_at_most_30_conditions()
    {
        var conditions = Enumerable.Range(0, 31).Select(_ => Condition(RuleFields.Status, RuleOperators.In, "open")).ToArray();

        Assert.Equal(["conditions.items"], Errors(Rule(conditions)).Keys);
    }

    [Fact]
    public void No_agent_reply_needs_its_minutes_and_no_other_trigger_takes_them()
    {
        Assert.Equal(["trigger.minutes"], Errors(Rule(trigger: new RuleTrigger(RuleTriggers.NoAgentReply))).Keys);
        Assert.Equal(["trigger.minutes"], Errors(Rule(trigger: new RuleTrigger(RuleTriggers.NoAgentReply, 10_081))).Keys);
        Assert.Equal(["trigger.minutes"], Errors(Rule(trigger: new RuleTrigger(RuleTriggers.MessageReceived, 5))).Keys);
        Assert.Empty(Errors(Rule(trigger: new RuleTrigger(RuleTriggers.NoAgentReply, 30))));
        Assert.Equal(["trigger.type"], Errors(Rule(trigger: new RuleTrigger("message-sent"))).Keys);
    }

    [Fact]
    public void An_insight_alert_has_no_conversation_so_it_only_sends_webhooks_at_business_hours()
    {
        var alert = new RuleTrigger(RuleTriggers.InsightAlert);
        var errors = Errors(Rule(
            [Condition(RuleFields.BusinessHours, RuleOperators.Is, "inside"), Condition(RuleFields.Text, RuleOperators.ContainsAny, "refund")],
            [Webhook, new RuleAction(RuleActions.Reply, Template: "Hello")],
            alert));

        Assert.Equal(["actions[1].type", "conditions.items[1].field"], errors.Keys.Order());
        Assert.Empty(Errors(Rule([Condition(RuleFields.BusinessHours, RuleOperators.Is, "inside")], [Webhook], alert)));
    }

    [Fact]
    public void A_rule_replies_once_and_takes_private_once()
    {
        var errors = Errors(Rule(actions:
            [
                new RuleAction(RuleActions.Reply, Template: "One"),
                new RuleAction(RuleActions.TakePrivate),
                new RuleAction(RuleActions.Reply, Template: "Two"),
                new RuleAction(RuleActions.TakePrivate),
            ]));

        Assert.Equal(["actions[2].type", "actions[3].type"], errors.Keys.Order());
    }

    [Fact]
    public void A_rule_has_1_to_20_actions()
    {
        Assert.Equal(["actions"], Errors(Rule(actions: [])).Keys);
        Assert.Equal(["actions"], Errors(Rule(actions: Enumerable.Repeat(Webhook, 21).ToArray())).Keys);
    }

    [Fact]
    public void A_reply_with_an_unknown_placeholder_is_refused_at_its_template()
    {
        var errors = Errors(Rule(actions: [Webhook, new RuleAction(RuleActions.Reply, Template: "Hi {customer.email}")]));

        var error = Assert.Single(errors);
        Assert.Equal("actions[1].template", error.Key);
        Assert.StartsWith("has an unknown placeholder at position 3 ({customer.email}); known: {customer.name},", Assert.Single(error.Value));
    }

    [Fact]
    public void A_reply_needs_its_text_and_a_service_or_marketing_purpose()
    {
        Assert.Equal(["actions[0].template"], Errors(Rule(actions: [new RuleAction(RuleActions.Reply)])).Keys);
        Assert.Equal(["actions[0].template"], Errors(Rule(actions: [new RuleAction(RuleActions.Reply, Template: new string('a', 2001))])).Keys);
        Assert.Equal(["actions[0].purpose"], Errors(Rule(actions: [new RuleAction(RuleActions.Reply, Template: "Hi", Purpose: "profiling")])).Keys);
    }

    [Fact]
    public void The_public_pointer_of_take_private_is_a_template_too() =>
        Assert.Equal(["actions[0].publicTemplate"],
            Errors(Rule(actions: [new RuleAction(RuleActions.TakePrivate, PublicTemplate: "See your inbox {")])).Keys);

    [Fact]
    public void Assign_names_exactly_one_of_an_agent_and_a_team()
    {
        Assert.Equal(["actions[0].agentId"], Errors(Rule(actions: [new RuleAction(RuleActions.Assign)])).Keys);
        Assert.Equal(["actions[0].agentId"], Errors(Rule(actions: [new RuleAction(RuleActions.Assign, AgentId: "a", TeamId: "t")])).Keys);
        Assert.Equal(["actions[0].teamId"], Errors(Rule(actions: [new RuleAction(RuleActions.Assign, TeamId: "bad team")])).Keys);
    }

    [Fact]
    public void A_field_the_action_does_not_read_is_refused_rather_than_ignored() =>
        Assert.Equal(["actions[0].points"], Errors(Rule(actions: [new RuleAction(RuleActions.Reply, Template: "Hi", Points: 5)])).Keys);

    [Fact]
    public void Tags_priorities_statuses_points_and_bots_are_checked()
    {
        var errors = Errors(Rule(actions:
            [
                new RuleAction(RuleActions.AddTags, Tags: ["ok", "#hash"]),
                new RuleAction(RuleActions.RemoveTags, Tags: []),
                new RuleAction(RuleActions.SetPriority, Priority: "critical"),
                new RuleAction(RuleActions.SetStatus, Status: "closed"),
                new RuleAction(RuleActions.AwardPoints, Points: 0),
                new RuleAction(RuleActions.PassToBot),
            ]));

        Assert.Equal(
            ["actions[0].tags[1]", "actions[1].tags", "actions[2].priority", "actions[3].status", "actions[4].points", "actions[5].botId"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lists_left_out_of_the_json_count_as_empty()
    {
        var noConditions = Rule() with { Conditions = null! };
        var noItems = Rule() with { Conditions = new RuleConditions(RuleValues.MatchAll, null!) };
        var noActions = Rule() with { Actions = null! };
        var noValues = Rule([new RuleCondition(RuleFields.Channel, RuleOperators.In)]);

        Assert.Empty(Errors(noConditions));
        Assert.Empty(Errors(noItems));
        Assert.Equal(["actions"], Errors(noActions).Keys);
        Assert.Equal(["conditions.items[0].values"], Errors(noValues).Keys);
        Assert.Equal(["trigger"], Errors(Rule() with { Trigger = null! }).Keys);
    }

    [Fact]
    public void The_default_settings_are_valid() => Assert.Empty(Errors(AutomationSettings.Default));

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/Sao_Paulo")]
    [InlineData("UTC")]
    [InlineData("Romance Standard Time")]
    public void A_time_zone_is_an_iana_or_windows_id(string zone) =>
        Assert.Empty(Errors(AutomationSettings.Default with { TimeZone = zone }));

    [Fact]
    public void An_unknown_time_zone_is_refused() =>
        Assert.Equal(["timeZone"], Errors(AutomationSettings.Default with { TimeZone = "Europe/Atlantis" }).Keys);

    [Fact]
    public void Business_hours_list_each_day_once_with_opening_before_closing()
    {
        var errors = Errors(AutomationSettings.Default with
        {
            BusinessHours =
            [
                new BusinessHoursDay("monday", "09:00", "17:00"),
                new BusinessHoursDay("monday", "10:00", "12:00"),
                new BusinessHoursDay("tuesday", "17:00", "09:00"),
                new BusinessHoursDay("wednesday", "9:00", "24:01"),
                new BusinessHoursDay("funday", "24:00", "24:00"),
                new BusinessHoursDay("sunday", "00:00", "24:00"),
            ],
            AutoReplyCooldownMinutes = -1,
        });

        Assert.Equal(
            [
                "autoReplyCooldownMinutes", "businessHours[1].day", "businessHours[2].closes", "businessHours[3].closes",
                "businessHours[3].opens", "businessHours[4].day", "businessHours[4].opens",
            ],
            errors.Keys.Order(StringComparer.Ordinal));
    }
}
