using SocialCrm.Abstractions.Automation;
using SocialCrm.Grains.Automation;

namespace SocialCrm.Grains.Tests.Automation;

/// <summary>Rules checked against messages: each condition, all and any, and the costly facts asked once at most.</summary>
public sealed class RuleMatcherTests
{
    // A Monday, 10:00 in UTC: inside the default business hours.
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly RuleFacts Message = new(
        MessageText: "Hi, where is my order? It's late again.",
        ChannelId: "fb-page",
        Platform: "messenger",
        Visibility: "private",
        SentimentScore: -0.6,
        SentimentLabel: "negative",
        IsNewCustomer: false,
        Status: "open",
        Tags: ["vip", "late-delivery"],
        Assignee: null,
        Priority: "normal",
        At: MondayMorning);

    private static AutomationRule Rule(string match, params RuleCondition[] conditions) =>
        new("r1", "Rule", 0, true, new RuleTrigger(RuleTriggers.MessageReceived), new RuleConditions(match, conditions),
            [new RuleAction(RuleActions.Webhook)]);

    private static RuleCondition When(string field, string op, params string[] values) => new(field, op, values);

    private static ValueTask<bool> Matches(RuleCondition condition, RuleFacts? facts = null, CountingSource? source = null) =>
        RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(RuleValues.MatchAll, condition)), facts ?? Message,
            source ?? new CountingSource(), AutomationSettings.Default);

    public static TheoryData<RuleCondition, bool> Conditions => new()
    {
        { When(RuleFields.Channel, RuleOperators.In, "fb-page", "ig"), true },
        { When(RuleFields.Channel, RuleOperators.In, "ig"), false },
        { When(RuleFields.Channel, RuleOperators.NotIn, "ig"), true },
        { When(RuleFields.Channel, RuleOperators.NotIn, "fb-page"), false },
        { When(RuleFields.Platform, RuleOperators.In, "messenger"), true },
        { When(RuleFields.Platform, RuleOperators.In, "whatsapp", "x"), false },
        { When(RuleFields.Platform, RuleOperators.NotIn, "messenger"), false },
        { When(RuleFields.Visibility, RuleOperators.Is, "private"), true },
        { When(RuleFields.Visibility, RuleOperators.Is, "public"), false },
        { When(RuleFields.Text, RuleOperators.ContainsAny, "refund", "ORDER"), true },
        { When(RuleFields.Text, RuleOperators.ContainsAny, "refund", "orders"), false },
        { When(RuleFields.Text, RuleOperators.ContainsAll, "order", "late"), true },
        { When(RuleFields.Text, RuleOperators.ContainsAll, "order", "refund"), false },
        { When(RuleFields.Text, RuleOperators.ContainsNone, "refund", "cancel"), true },
        { When(RuleFields.Text, RuleOperators.ContainsNone, "refund", "where is"), false },
        { When(RuleFields.Sentiment, RuleOperators.LabelIn, "negative", "neutral"), true },
        { When(RuleFields.Sentiment, RuleOperators.LabelIn, "positive"), false },
        { new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, -1, -0.5), true },
        { new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, -0.5, 1), false },
        { When(RuleFields.Customer, RuleOperators.Is, "returning"), true },
        { When(RuleFields.Customer, RuleOperators.Is, "new"), false },
        { When(RuleFields.BusinessHours, RuleOperators.Is, "inside"), true },
        { When(RuleFields.BusinessHours, RuleOperators.Is, "outside"), false },
        { When(RuleFields.Status, RuleOperators.In, "open", "pending"), true },
        { When(RuleFields.Status, RuleOperators.In, "resolved"), false },
        { When(RuleFields.Status, RuleOperators.NotIn, "resolved"), true },
        { When(RuleFields.Tag, RuleOperators.HasAny, "VIP", "other"), true },
        { When(RuleFields.Tag, RuleOperators.HasAny, "other"), false },
        { When(RuleFields.Tag, RuleOperators.HasAll, "vip", "Late Delivery"), true },
        { When(RuleFields.Tag, RuleOperators.HasAll, "vip", "other"), false },
        { When(RuleFields.Tag, RuleOperators.HasNone, "other"), true },
        { When(RuleFields.Tag, RuleOperators.HasNone, "other", "vip"), false },
        { When(RuleFields.Assignee, RuleOperators.IsNone), true },
        { When(RuleFields.Assignee, RuleOperators.IsAny), false },
        { When(RuleFields.Assignee, RuleOperators.In, "agent-1"), false },
        { When(RuleFields.Priority, RuleOperators.In, "normal", "low"), true },
        { When(RuleFields.Priority, RuleOperators.NotIn, "normal"), false },
        { When(RuleFields.Segment, RuleOperators.In, "detractor", "helper"), true },
        { When(RuleFields.Segment, RuleOperators.In, "advocate"), false },
        { When(RuleFields.Segment, RuleOperators.NotIn, "advocate"), true },
        { When(RuleFields.Segment, RuleOperators.NotIn, "detractor"), false },
        { When(RuleFields.Consent, RuleOperators.Is, "marketing", "withdrawn"), true },
        { When(RuleFields.Consent, RuleOperators.Is, "marketing", "granted"), false },
        { When(RuleFields.Consent, RuleOperators.Is, "service", "granted"), true },
        { When(RuleFields.Consent, RuleOperators.Is, "profiling", "granted"), false },
        { When("language", RuleOperators.Is, "fr"), false },
        { When(RuleFields.Channel, RuleOperators.Is, "fb-page"), false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public async Task Each_condition_matches_its_facts_and_only_them(RuleCondition condition, bool expected) =>
        Assert.Equal(expected, await Matches(condition));

    [Fact]
    public async Task An_assignee_condition_matches_the_agent_in_charge()
    {
        var assigned = Message with { Assignee = "agent-1" };

        Assert.True(await Matches(When(RuleFields.Assignee, RuleOperators.In, "agent-1", "agent-2"), assigned));
        Assert.True(await Matches(When(RuleFields.Assignee, RuleOperators.IsAny), assigned));
        Assert.False(await Matches(When(RuleFields.Assignee, RuleOperators.IsNone), assigned));
    }

    [Fact]
    public async Task A_message_without_sentiment_matches_no_sentiment_condition()
    {
        var unscored = Message with { SentimentScore = null, SentimentLabel = null };

        Assert.False(await Matches(When(RuleFields.Sentiment, RuleOperators.LabelIn, "positive", "neutral", "negative"), unscored));
        Assert.False(await Matches(new RuleCondition(RuleFields.Sentiment, RuleOperators.ScoreBetween, null, -1, 1), unscored));
    }

    [Fact]
    public async Task A_customer_not_known_to_be_new_or_returning_matches_neither()
    {
        var unknown = Message with { IsNewCustomer = null };

        Assert.False(await Matches(When(RuleFields.Customer, RuleOperators.Is, "new"), unknown));
        Assert.False(await Matches(When(RuleFields.Customer, RuleOperators.Is, "returning"), unknown));
        Assert.True(await Matches(When(RuleFields.Customer, RuleOperators.Is, "new"), Message with { IsNewCustomer = true }));
    }

    [Fact]
    public async Task A_message_without_text_contains_no_phrase()
    {
        var image = Message with { MessageText = null };

        Assert.False(await Matches(When(RuleFields.Text, RuleOperators.ContainsAny, "order"), image));
        Assert.True(await Matches(When(RuleFields.Text, RuleOperators.ContainsNone, "order"), image));
    }

    [Fact]
    public async Task Outside_business_hours_is_judged_at_the_message_time()
    {
        var saturday = Message with { At = new DateTimeOffset(2026, 3, 7, 10, 0, 0, TimeSpan.Zero) };

        Assert.True(await Matches(When(RuleFields.BusinessHours, RuleOperators.Is, "outside"), saturday));
    }

    [Fact]
    public async Task All_needs_every_condition_and_any_needs_one()
    {
        var late = When(RuleFields.Text, RuleOperators.ContainsAny, "late");
        var whatsapp = When(RuleFields.Platform, RuleOperators.In, "whatsapp");
        var source = new CountingSource();

        Assert.False(await RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(RuleValues.MatchAll, late, whatsapp)), Message, source, AutomationSettings.Default));
        Assert.True(await RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(RuleValues.MatchAny, late, whatsapp)), Message, source, AutomationSettings.Default));
        Assert.True(await RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(RuleValues.MatchAll, late, whatsapp with { Values = ["messenger"] })), Message, source, AutomationSettings.Default));
        Assert.False(await RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(RuleValues.MatchAny, whatsapp, late with { Values = ["early"] })), Message, source, AutomationSettings.Default));
    }

    [Theory]
    [InlineData(RuleValues.MatchAll)]
    [InlineData(RuleValues.MatchAny)]
    public async Task A_rule_without_conditions_always_matches(string match) =>
        Assert.True(await RuleMatcher.MatchesAsync(RuleMatcher.Compile(Rule(match)), Message, new CountingSource(), AutomationSettings.Default));

    [Fact]
    public async Task A_rule_without_customer_conditions_asks_nothing_about_the_customer()
    {
        var source = new CountingSource();
        var rule = RuleMatcher.Compile(Rule(RuleValues.MatchAll, When(RuleFields.Text, RuleOperators.ContainsAny, "order"), When(RuleFields.Status, RuleOperators.In, "open")));

        Assert.True(await RuleMatcher.MatchesAsync(rule, Message, source, AutomationSettings.Default));
        Assert.False(RuleMatcher.NeedsCustomerFacts(rule));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task A_cheap_condition_that_fails_spares_the_call_even_when_written_first()
    {
        var source = new CountingSource();
        var rule = RuleMatcher.Compile(Rule(RuleValues.MatchAll,
            When(RuleFields.Consent, RuleOperators.Is, "marketing", "granted"),
            When(RuleFields.Segment, RuleOperators.In, "advocate"),
            When(RuleFields.Platform, RuleOperators.In, "whatsapp")));

        Assert.True(RuleMatcher.NeedsCustomerFacts(rule));
        Assert.False(await RuleMatcher.MatchesAsync(rule, Message, source, AutomationSettings.Default));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task Any_stops_at_the_first_cheap_condition_that_holds()
    {
        var source = new CountingSource();
        var rule = RuleMatcher.Compile(Rule(RuleValues.MatchAny,
            When(RuleFields.Segment, RuleOperators.In, "detractor"),
            When(RuleFields.Visibility, RuleOperators.Is, "private")));

        Assert.True(await RuleMatcher.MatchesAsync(rule, Message, source, AutomationSettings.Default));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task Each_costly_fact_is_asked_once_per_message_however_many_rules_need_it()
    {
        var source = new CountingSource();
        var evaluator = new RuleEvaluator(Message, source, AutomationSettings.Default);
        var first = RuleMatcher.Compile(Rule(RuleValues.MatchAll,
            When(RuleFields.Consent, RuleOperators.Is, "marketing", "granted"), When(RuleFields.Segment, RuleOperators.In, "detractor")));
        var second = RuleMatcher.Compile(Rule(RuleValues.MatchAny,
            When(RuleFields.Segment, RuleOperators.NotIn, "advocate"), When(RuleFields.Consent, RuleOperators.Is, "marketing", "withdrawn")));
        var third = RuleMatcher.Compile(Rule(RuleValues.MatchAll,
            When(RuleFields.Consent, RuleOperators.Is, "marketing", "withdrawn"), When(RuleFields.Consent, RuleOperators.Is, "service", "granted"),
            When(RuleFields.Segment, RuleOperators.In, "detractor")));

        Assert.False(await evaluator.MatchesAsync(first));
        Assert.True(await evaluator.MatchesAsync(second));
        Assert.True(await evaluator.MatchesAsync(third));
        await evaluator.ExplainAsync(third);

        Assert.Equal(1, source.ConsentCalls["marketing"]);
        Assert.Equal(1, source.ConsentCalls["service"]);
        Assert.Equal(1, source.SegmentCalls);
    }

    [Fact]
    public async Task A_dry_run_reports_every_condition_in_the_rules_order_with_its_reason()
    {
        var source = new CountingSource();
        var rule = RuleMatcher.Compile(Rule(RuleValues.MatchAll,
            When(RuleFields.Segment, RuleOperators.In, "advocate"),
            When(RuleFields.Platform, RuleOperators.In, "whatsapp"),
            When(RuleFields.Text, RuleOperators.ContainsAny, "order", "refund", "late"),
            When(RuleFields.BusinessHours, RuleOperators.Is, "inside")));

        var report = await RuleMatcher.ExplainAsync(rule, Message, source, AutomationSettings.Default);

        Assert.False(report.Matched);
        Assert.Equal([0, 1, 2, 3], report.Conditions.Select(c => c.Index));
        Assert.Equal([false, false, true, true], report.Conditions.Select(c => c.Matched));
        Assert.Equal(["segment", "platform", "text", "business-hours"], report.Conditions.Select(c => c.Field));
        Assert.Equal("the customer's segments: detractor", report.Conditions[0].Detail);
        Assert.Equal("platform messenger is not in the list", report.Conditions[1].Detail);
        Assert.Equal("found 2 of 3: order, late", report.Conditions[2].Detail);
        Assert.Equal("Monday 10:00 in UTC is inside business hours", report.Conditions[3].Detail);
    }

    [Fact]
    public async Task A_dry_run_of_an_any_rule_matches_when_one_condition_holds()
    {
        var rule = RuleMatcher.Compile(Rule(RuleValues.MatchAny,
            When(RuleFields.Platform, RuleOperators.In, "whatsapp"), When(RuleFields.Status, RuleOperators.In, "open")));

        var report = await RuleMatcher.ExplainAsync(rule, Message, new CountingSource(), AutomationSettings.Default);

        Assert.True(report.Matched);
        Assert.Equal([false, true], report.Conditions.Select(c => c.Matched));
    }

    /// <summary>A customer who withdrew marketing, granted service, and is a detractor; counts what it is asked.</summary>
    private sealed class CountingSource : IRuleFactSource
    {
        public Dictionary<string, int> ConsentCalls { get; } = [];
        public int SegmentCalls { get; private set; }
        public int Calls => ConsentCalls.Values.Sum() + SegmentCalls;

        public ValueTask<string> ConsentStatus(string purposeWire)
        {
            ConsentCalls[purposeWire] = ConsentCalls.GetValueOrDefault(purposeWire) + 1;
            return ValueTask.FromResult(purposeWire switch { "marketing" => "withdrawn", "service" => "granted", _ => "unknown" });
        }

        public ValueTask<IReadOnlyCollection<string>> Segments()
        {
            SegmentCalls++;
            return ValueTask.FromResult<IReadOnlyCollection<string>>(["detractor"]);
        }
    }
}
