using System.Net;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>Rules that answer, route and tag as messages arrive, through every check a person's action meets.</summary>
public abstract class AutomationScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    public static object OrderRule(string id = "where-is-my-order", string purpose = "service", int order = 10) => new
    {
        id,
        name = "Where is my order",
        order,
        enabled = true,
        trigger = new { type = "message-received" },
        conditions = new { match = "all", items = new object[] { new { field = "text", @operator = "contains-any", values = new[] { "order", "parcel" } } } },
        actions = new object[]
        {
            new { type = "reply", template = "Hi {customer.first_name}, {brand.name} is checking your order now.", purpose },
            new { type = "assign", teamId = "logistics" },
            new { type = "add-tags", tags = new[] { "Order Status" } },
        },
    };

    [Fact]
    public async Task An_order_question_gets_the_template_reply_is_handed_to_the_team_and_tagged_and_the_history_says_so()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await admin.PutJson(setup.Path("teams/logistics"), new { name = "Logistics", members = new[] { new { agentId = "lou" } } });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("automation/rules"), OrderRule())).Status);

        var inbound = await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ada Lovelace", "Where is my ÓRDER?"));
        Assert.Equal(HttpStatusCode.Accepted, inbound.Status);
        var conversationId = inbound.Str("conversationId");
        var history = await WaitForEventAsync(admin, setup, conversationId, "automation-ran");

        var reply = Assert.Single(history, m => m!["authorType"]!.GetValue<string>() == "automation");
        Assert.Equal("Hi Ada, Brand " + setup.BrandId + " is checking your order now.", reply!["text"]!.GetValue<string>());
        Assert.Equal("rule:where-is-my-order", reply["authorId"]!.GetValue<string>());
        var conversation = await admin.GetJson(setup.Path($"conversations/{conversationId}"));
        Assert.Equal("logistics", conversation.Str("teamId"));
        Assert.Equal("lou", conversation.Str("assignee"));
        Assert.Equal(["order-status"], conversation.Body!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var fired = history.Last(m => m!["event"]?["type"]?.GetValue<string>() == "automation-ran")!["event"]!["data"]!;
        Assert.Equal("Where is my order", fired["ruleName"]!.GetValue<string>());
        Assert.Contains("replied", fired["did"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Contains("assigned to team logistics", fired["did"]!.AsArray().Select(d => d!.GetValue<string>()));

        // A message that does not ask about an order fires nothing; the counters say what happened.
        await admin.PostJson(setup.InboundPath, Named("m-2", "bob", "Bob", "I reordered yesterday, love it"));
        var rules = await admin.GetJson(setup.Path("automation/rules"));
        Assert.Equal(1, rules.Body!["items"]![0]!["stats"]!["fired"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_marketing_reply_without_consent_is_refused_and_recorded_and_sends_nothing()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await admin.PostJson(setup.Path("automation/rules"), OrderRule("promo", purpose: "marketing"));
        await admin.PutJson(setup.Path("teams/logistics"), new { name = "Logistics", members = new[] { new { agentId = "lou" } } });

        var conversationId = (await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ann", "my order?"))).Str("conversationId");
        var history = await WaitForEventAsync(admin, setup, conversationId, "automation-ran");

        Assert.DoesNotContain(history, m => m!["authorType"]!.GetValue<string>() == "automation");
        var data = history.Last()!["event"]!["data"]!;
        Assert.Equal("failed", data["status"]!.GetValue<string>());
        Assert.Contains("reply: consent-required", data["refused"]!.AsArray().Select(d => d!.GetValue<string>()));
        var stats = (await admin.GetJson(setup.Path("automation/rules/promo"))).Body!["stats"]!;
        Assert.Equal(1, stats["failed"]!.GetValue<long>());
        Assert.Equal(1, stats["reasons"]!["consent-required"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_closed_messenger_window_stops_the_automatic_reply()
    {
        var setup = await Node.NewBrandWithChannelAsync("messenger");
        using var admin = setup.Admin();
        await admin.PostJson(setup.Path("automation/rules"), ReplyOnly("late", "Thanks, {customer.name}!"));
        var old = new
        {
            externalMessageId = "m-1", externalUserId = "ann", text = "my order never came", timestamp = DateTimeOffset.UtcNow.AddHours(-25),
            thread = new { visibility = "private" },
        };
        var conversationId = (await admin.PostJson(setup.InboundPath, old)).Str("conversationId");
        var history = await WaitForEventAsync(admin, setup, conversationId, "automation-ran");
        Assert.DoesNotContain(history, m => m!["authorType"]!.GetValue<string>() == "automation");
        Assert.Equal("reply: messaging-window-closed", history.Last()!["event"]!["data"]!["refused"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bot_in_control_is_not_talked_over_by_a_rule()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await admin.PostJson(setup.Path("automation/rules"), ReplyOnly("greet", "Hello!"));
        var conversationId = (await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ann", "hi"))).Str("conversationId");
        await WaitForEventAsync(admin, setup, conversationId, "automation-ran");
        await admin.PostJson(setup.Path($"conversations/{conversationId}/control"), new { action = "pass-to-bot", botId = "helper" });
        await admin.PutJson(setup.Path("automation/settings"), new { timeZone = "UTC", businessHours = Array.Empty<object>(), autoReplyCooldownMinutes = 0 });

        await admin.PostJson(setup.InboundPath, Named("m-2", "ann", "Ann", "hello again"));
        var history = await WaitForEventAsync(admin, setup, conversationId, "automation-ran", count: 2);
        Assert.Single(history, m => m!["authorType"]!.GetValue<string>() == "automation");
        Assert.Equal("reply: not-in-control", history.Last()!["event"]!["data"]!["refused"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_rules_that_would_answer_each_other_do_not_loop_and_one_reply_per_cooldown_goes_out()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await admin.PostJson(setup.Path("automation/rules"), ReplyOnly("ping", "Did you say hello?", order: 1));
        await admin.PostJson(setup.Path("automation/rules"), ReplyOnly("pong", "Hello! Did you say something?", order: 2));

        var conversationId = (await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ann", "hello"))).Str("conversationId");
        await WaitForEventAsync(admin, setup, conversationId, "automation-ran", count: 2);
        await admin.PostJson(setup.InboundPath, Named("m-2", "ann", "Ann", "hello?"));
        var history = await WaitForEventAsync(admin, setup, conversationId, "automation-ran", count: 4);
        await Task.Delay(1_000, TestContext.Current.CancellationToken);

        history = await HistoryAsync(admin, setup, conversationId);
        // The brand's own messages never fire a rule; the cooldown lets one automatic reply through per hour.
        Assert.Single(history, m => m!["authorType"]!.GetValue<string>() == "automation");
        Assert.Equal(4, history.Count(m => m!["event"]?["type"]?.GetValue<string>() == "automation-ran"));
        var stats = (await admin.GetJson(setup.Path("automation/rules"))).Body!["items"]!.AsArray();
        Assert.Equal(3, stats.Sum(r => r!["stats"]!["reasons"]!["cooldown"]?.GetValue<long>() ?? 0));
    }

    [Fact]
    public async Task The_dry_run_explains_each_condition_and_changes_nothing()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await admin.PutJson(setup.Path("teams/logistics"), new { name = "Logistics", members = new[] { new { agentId = "lou" } } });
        var conversationId = (await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ann", "hi"))).Str("conversationId");
        var before = (await HistoryAsync(admin, setup, conversationId)).Count;

        var test = await admin.PostJson(setup.Path("automation/rules/test"),
            new { rule = OrderRule(), message = new { text = "where is my parcel", conversationId } });
        Assert.Equal(HttpStatusCode.OK, test.Status);
        Assert.True(test.Body!["wouldFire"]!.GetValue<bool>());
        Assert.True(test.Body!["report"]!["conditions"]![0]!["matched"]!.GetValue<bool>());
        Assert.Equal(3, test.Body!["wouldDo"]!.AsArray().Count);
        var miss = await admin.PostJson(setup.Path("automation/rules/test"), new { rule = OrderRule(), message = new { text = "lovely day" } });
        Assert.False(miss.Body!["wouldFire"]!.GetValue<bool>());

        Assert.Equal(before, (await HistoryAsync(admin, setup, conversationId)).Count);
        Assert.Empty((await admin.GetJson(setup.Path("automation/rules"))).Body!["items"]!.AsArray());
        Assert.Null((await admin.GetJson(setup.Path($"conversations/{conversationId}"))).Body!["assignee"]);
    }

    [Fact]
    public async Task A_bad_rule_is_refused_field_by_field_and_agents_cannot_write_rules()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var bad = (await admin.PostJson(setup.Path("automation/rules"), new
        {
            id = "bad rule",
            name = "",
            order = 1,
            enabled = true,
            trigger = new { type = "no-agent-reply" },
            conditions = new { match = "all", items = new object[] { new { field = "text", @operator = "matches-regex", values = new[] { "(a+)+$" } } } },
            actions = new object[] { new { type = "reply", template = "Hi {customer.password}" } },
        })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        var errors = bad.Body!["errors"]!.AsObject();
        foreach (var field in new[] { "id", "name", "trigger.minutes", "conditions.items[0].operator", "actions[0].template" })
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {bad.Raw}");
        (await admin.PostJson(setup.Path("automation/rules"), new
        {
            id = "points", name = "Points", order = 1, enabled = true, trigger = new { type = "message-received" },
            actions = new object[] { new { type = "award-points", points = 10 } },
        })).AssertProblem(HttpStatusCode.BadRequest, "validation");

        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "ann-agent");
        using var agent = Node.Client(agentKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson(setup.Path("automation/rules"), OrderRule())).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetJson(setup.Path("automation/rules"))).Status);
        Assert.Empty((await admin.GetJson(setup.Path("automation/rules"))).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_node_killed_between_the_ack_and_the_rule_carries_it_out_once_after_the_restart()
    {
        var storage = await backend.NewStorageAsync();
        // The first node holds its runs for a minute: it dies with the decision committed and nothing done.
        var holding = Restarted(storage, "before", new() { ["Automation:RunAfterMs"] = "60000", ["Automation:SweepIntervalMs"] = "3600000" });
        var sweeping = Restarted(storage, "after", new() { ["Automation:SweepIntervalMs"] = "200", ["Automation:SweepAfterMs"] = "0" });
        BrandSetup setup;
        string conversationId;
        await using (var first = await HostProcess.StartAsync(holding))
        {
            setup = await NewBrandAsync(first);
            using var admin = first.Client(setup.AdminKey);
            await admin.PostJson(setup.Path("automation/rules"), ReplyOnly("greet", "Hello {customer.name}!"));
            var accepted = await admin.PostJson(setup.InboundPath, Named("m-1", "ann", "Ann", "hello"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            conversationId = accepted.Str("conversationId");
            first.Kill();
        }

        await using var second = await HostProcess.StartAsync(sweeping);
        using var again = second.Client(setup.AdminKey);
        var history = await WaitForEventAsync(again, setup, conversationId, "automation-ran");
        await Task.Delay(1_500, TestContext.Current.CancellationToken);
        history = await HistoryAsync(again, setup, conversationId);
        Assert.Equal("Hello Ann!", Assert.Single(history, m => m!["authorType"]!.GetValue<string>() == "automation")!["text"]!.GetValue<string>());
        Assert.Single(history, m => m!["event"]?["type"]?.GetValue<string>() == "automation-ran");
        Assert.Equal(1, (await again.GetJson(setup.Path("automation/rules/greet"))).Body!["stats"]!["fired"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_no_agent_reply_timer_fires_after_a_restart_and_not_where_an_agent_answered()
    {
        var storage = await backend.NewStorageAsync();
        var asleep = Restarted(storage, "before", new() { ["Automation:SweepIntervalMs"] = "3600000" });
        var sweeping = Restarted(storage, "after", new() { ["Automation:SweepIntervalMs"] = "200" });
        BrandSetup setup;
        string waiting, answered;
        await using (var first = await HostProcess.StartAsync(asleep))
        {
            setup = await NewBrandAsync(first);
            using var admin = first.Client(setup.AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("automation/rules"), new
            {
                id = "sla", name = "Nobody answered", order = 1, enabled = true, trigger = new { type = "no-agent-reply", minutes = 1 },
                actions = new object[] { new { type = "set-priority", priority = "urgent" }, new { type = "add-tags", tags = new[] { "sla-breach" } } },
            })).Status);
            // Both customers wrote two minutes ago; one of them got an agent's answer.
            waiting = (await admin.PostJson(setup.InboundPath, WroteAgo("m-1", "ann", TimeSpan.FromMinutes(2)))).Str("conversationId");
            answered = (await admin.PostJson(setup.InboundPath, WroteAgo("m-2", "bob", TimeSpan.FromMinutes(2)))).Str("conversationId");
            await admin.PostJson(setup.Path($"conversations/{answered}/messages"), new { text = "On it", purpose = "service" });
            first.Kill();
        }

        await using var second = await HostProcess.StartAsync(sweeping);
        using var again = second.Client(setup.AdminKey);
        await WaitForEventAsync(again, setup, waiting, "automation-ran");
        var conversation = await again.GetJson(setup.Path($"conversations/{waiting}"));
        Assert.Equal("urgent", conversation.Str("priority"));
        Assert.Contains("sla-breach", conversation.Body!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        await Task.Delay(1_000, TestContext.Current.CancellationToken);
        // Once per wait: the sweep keeps running, the rule does not fire again; the answered one never fires.
        Assert.Single(await HistoryAsync(again, setup, waiting), m => m!["event"]?["type"]?.GetValue<string>() == "automation-ran");
        Assert.Equal("normal", (await again.GetJson(setup.Path($"conversations/{answered}"))).Str("priority"));
    }

    /// <summary>
    /// A node's settings on the shared store. On a database cluster the node after the kill takes a
    /// cluster id of its own, so it does not wait out the dead node's membership (the node-loss suite's
    /// subject): what is under test here is the outbox in the database.
    /// </summary>
    private static Dictionary<string, string?> Restarted(Dictionary<string, string?> storage, string life, Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(storage) { ["Orleans:ClusterId"] = $"automation-{life}-{Guid.NewGuid():N}"[..30] };
        foreach (var (key, value) in settings) all[key] = value;
        return all;
    }

    private static async Task<BrandSetup> NewBrandAsync(HostProcess node)
    {
        using var bootstrap = node.Client(ServiceHost.BootstrapSecret);
        var brandId = TestIds.New("brand");
        var adminKey = (await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Crash test" })).Str("adminKey");
        using var admin = node.Client(adminKey);
        await admin.PostJson($"/v1/brands/{brandId}/channels", new { id = "web", platform = "webchat", externalAccountId = "site" });
        return new BrandSetup(null!, brandId, adminKey, "web");
    }

    private static object WroteAgo(string messageId, string userId, TimeSpan ago) => new
    {
        externalMessageId = messageId, externalUserId = userId, text = "hello?", timestamp = DateTimeOffset.UtcNow - ago,
        thread = new { visibility = "private" },
    };

    private static object ReplyOnly(string id, string template, int order = 1) => new
    {
        id, name = id, order, enabled = true, trigger = new { type = "message-received" },
        actions = new object[] { new { type = "reply", template } },
    };

    public static object Named(string messageId, string userId, string name, string text) => new
    {
        externalMessageId = messageId, externalUserId = userId, userDisplayName = name, text, timestamp = DateTimeOffset.UtcNow,
        thread = new { visibility = "private" },
    };

    public static async Task<List<JsonNode?>> HistoryAsync(HttpClient client, BrandSetup setup, string conversationId) =>
        [.. (await client.GetJson(setup.Path($"conversations/{conversationId}/messages?limit=200"))).Body!["items"]!.AsArray()];

    /// <summary>The conversation's history once it holds <paramref name="count"/> events of the kind (automation runs after the ack).</summary>
    public static async Task<List<JsonNode?>> WaitForEventAsync(HttpClient client, BrandSetup setup, string conversationId, string kind, int count = 1)
    {
        for (var i = 0; i < 200; i++)
        {
            var history = await HistoryAsync(client, setup, conversationId);
            if (history.Count(m => m!["event"]?["type"]?.GetValue<string>() == kind) >= count) return history;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new Xunit.Sdk.XunitException($"No {count} '{kind}' events in conversation {conversationId} within 10 s.");
    }
}

[Trait("Backend", "sqlite")]
public sealed class AutomationOnSqlite(SqliteBackend backend) : AutomationScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class AutomationOnPostgres(PostgresBackend backend) : AutomationScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class AutomationOnSqlServer(SqlServerBackend backend) : AutomationScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
