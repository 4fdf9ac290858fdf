using System.Net;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// What chatbot developers trust: every event reaches their endpoint signed, at least once, with a
/// delivery id that stays the same across retries, in order per conversation, dead-lettered after the
/// last attempt and replayable, and not lost when a node is killed.
/// </summary>
public abstract class WebhookScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private const string Secret = "bot-secret-0123456789abcdef";

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> storage, int maxAttempts = 20) => new(storage)
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:InitialBackoffMs"] = "50",
        ["Webhooks:MaxBackoffMs"] = "200",
        ["Webhooks:MaxAttempts"] = maxAttempts.ToString(),
        ["Webhooks:SweepIntervalMs"] = "200",
    };

    private static async Task RegisterAsync(HttpClient admin, BrandSetup setup, string url, string id = "bot-hook", params string[] events)
    {
        var created = await admin.PostJson(setup.Path("webhooks"), new
        {
            id, url, secret = Secret,
            events = events.Length > 0 ? events : new[] { "message.created", "conversation.created", "conversation.control-changed" },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.DoesNotContain(Secret, created.Raw);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 20)
    {
        for (var i = 0; i < seconds * 20 && !condition(); i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        return condition();
    }

    [Fact]
    public async Task Events_arrive_signed_with_a_stable_delivery_id_even_after_failed_attempts()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        receiver.Secret = Secret;
        await using var node = await backend.StartNodeAsync(Settings(await backend.NewStorageAsync()));
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await RegisterAsync(admin, setup, receiver.Url);
        receiver.FailNext(3);

        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my order?"));
        Assert.True(await EventuallyAsync(() => receiver.Delivered.Count >= 2), $"{receiver.Delivered.Count} delivered");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var delivered = receiver.Delivered.ToList();
        Assert.Equal(["conversation.created", "message.created"], delivered.Select(d => d["type"]!.GetValue<string>()));
        var message = delivered[1];
        Assert.Equal(inbound.Str("messageId"), message["data"]!["messageId"]!.GetValue<string>());
        Assert.Equal("Where is my order?", message["data"]!["text"]!.GetValue<string>());
        Assert.Equal(setup.BrandId, message["brandId"]!.GetValue<string>());
        Assert.Equal(inbound.Str("conversationId"), message["conversationId"]!.GetValue<string>());
        var headers = receiver.DeliveredHeaders.ToList();
        Assert.Equal(message["id"]!.GetValue<string>(), headers[1]["X-SocialCrm-Delivery"]);
        Assert.Equal("message.created", headers[1]["X-SocialCrm-Event"]);
        // The failed attempts carried the same delivery id as the one that got through.
        Assert.Equal(delivered.Select(d => d["id"]!.GetValue<string>()).ToHashSet(), receiver.AttemptedIds.ToHashSet());
        Assert.True(receiver.Attempts >= 5);

        var list = await admin.GetJson(setup.Path("webhooks/bot-hook/deliveries?status=delivered"));
        Assert.Equal(2, list.Body!.AsArray().Count);
    }

    [Fact]
    public async Task A_retrying_delivery_holds_back_later_events_of_its_conversation_only()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        await using var node = await backend.StartNodeAsync(Settings(await backend.NewStorageAsync()));
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await RegisterAsync(admin, setup, receiver.Url, events: "message.created");
        receiver.FailNext(4);
        for (var i = 1; i <= 5; i++)
        {
            await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"a-{i}", "ann", $"ann {i}"));
            await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"b-{i}", "bob", $"bob {i}"));
        }
        Assert.True(await EventuallyAsync(() => receiver.Delivered.Count >= 10), $"{receiver.Delivered.Count} delivered");
        var delivered = receiver.Delivered.ToList();
        Assert.Equal(10, delivered.Select(d => d["id"]!.GetValue<string>()).Distinct().Count());
        foreach (var who in new[] { "ann", "bob" })
        {
            var texts = delivered.Select(d => d["data"]!["text"]!.GetValue<string>()).Where(t => t.StartsWith(who)).ToList();
            Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{who} {i}"), texts);
        }
    }

    [Fact]
    public async Task A_delivery_is_dead_lettered_after_the_last_attempt_and_can_be_redelivered()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        await using var node = await backend.StartNodeAsync(Settings(await backend.NewStorageAsync(), maxAttempts: 3));
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await RegisterAsync(admin, setup, receiver.Url, events: "message.created");
        var botKey = (await admin.PostJson(setup.Path("api-keys"), new { name = "faq-bot", role = "bot", webhookId = "bot-hook" })).Str("key");
        var otherBotKey = await node.NewKeyAsync(setup.BrandId, setup.AdminKey, "bot", "other-bot");
        receiver.FailNext(int.MaxValue);
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hello?"));

        using var bot = node.Client(botKey);
        JsonArray dead = [];
        Assert.True(await EventuallyAsync(() =>
        {
            dead = bot.GetJson(setup.Path("webhooks/bot-hook/deliveries?status=dead")).GetAwaiter().GetResult().Body!.AsArray();
            return dead.Count == 1;
        }));
        Assert.Equal(3, dead[0]!["attempts"]!.GetValue<int>());
        Assert.Contains("503", dead[0]!["lastError"]!.GetValue<string>());
        Assert.Equal(3, receiver.Attempts);
        using var otherBot = node.Client(otherBotKey);
        (await otherBot.GetJson(setup.Path("webhooks/bot-hook/deliveries"))).AssertProblem(HttpStatusCode.NotFound, "not-found");

        receiver.FailNext(0);
        var deliveryId = dead[0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Accepted, (await bot.PostJson(setup.Path($"webhooks/bot-hook/deliveries/{deliveryId}/redeliver"), new { })).Status);
        Assert.True(await EventuallyAsync(() => receiver.Delivered.Count == 1));
        Assert.Equal(deliveryId, receiver.Delivered.Single()["id"]!.GetValue<string>());
        (await bot.PostJson(setup.Path("webhooks/bot-hook/deliveries/dlv_nope/redeliver"), new { })).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_bot_answers_and_hands_over_through_the_api_and_the_switchboard_holds()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        await using var node = await backend.StartNodeAsync(Settings(await backend.NewStorageAsync()));
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        await RegisterAsync(admin, setup, receiver.Url);
        var botKey = await node.NewKeyAsync(setup.BrandId, setup.AdminKey, "bot", "faq-bot");
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hours?"));
        var conversation = setup.Path("conversations/" + inbound.Str("conversationId"));
        await admin.PostJson(conversation + "/control", new { action = "pass-to-bot", botId = "faq-bot" });

        using var bot = node.Client(botKey);
        Assert.Equal(HttpStatusCode.Created, (await bot.PostJson(conversation + "/messages", new { text = "We open at 9.", purpose = "service" })).Status);
        Assert.Equal("human", (await bot.PostJson(conversation + "/control", new { action = "pass-to-human" })).Str("controller"));
        (await bot.PostJson(conversation + "/messages", new { text = "Still me", purpose = "service" })).AssertProblem(HttpStatusCode.Conflict, "not-in-control");
        Assert.True(await EventuallyAsync(() => receiver.Delivered.Count(d => d["type"]!.GetValue<string>() == "conversation.control-changed") == 2));
        var changes = receiver.Delivered.Where(d => d["type"]!.GetValue<string>() == "conversation.control-changed")
            .Select(d => d["data"]!["to"]!.GetValue<string>()).ToList();
        Assert.Equal(["bot:faq-bot", "human"], changes);
    }

    [Fact]
    public async Task Webhooks_on_internal_addresses_are_refused_unless_allowed()
    {
        var setup = await backend.Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        foreach (var url in new[] { "http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest", "http://[::1]/x", "http://localhost/x" })
        {
            var refused = (await admin.PostJson(setup.Path("webhooks"), new { id = TestIds.New("h"), url, secret = Secret, events = new[] { "message.created" } }))
                .AssertProblem(HttpStatusCode.BadRequest, "validation");
            Assert.NotNull(refused.Body!["errors"]!["url"]);
        }
        var bad = (await admin.PostJson(setup.Path("webhooks"), new { id = "h", url = "ftp://example.org/x", secret = "short", events = new[] { "everything" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        foreach (var field in new[] { "url", "secret", "events" }) Assert.NotNull(bad.Body!["errors"]![field]);
    }
}

[Trait("Backend", "sqlite")]
public sealed class WebhooksOnSqlite(SqliteBackend backend) : WebhookScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class WebhooksOnPostgres(PostgresBackend backend) : WebhookScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class WebhooksOnSqlServer(SqlServerBackend backend) : WebhookScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;

/// <summary>A node killed with SIGKILL between the ack and the delivery: the delivery still goes out after a restart.</summary>
public sealed class WebhookCrashScenarios(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    [Fact]
    public async Task A_delivery_owed_when_the_node_is_killed_goes_out_after_the_restart()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        var storage = new Dictionary<string, string?>(await backend.NewStorageAsync())
        {
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:InitialBackoffMs"] = "50",
            ["Webhooks:MaxBackoffMs"] = "200",
            ["Webhooks:SweepIntervalMs"] = "200",
        };
        receiver.FailNext(int.MaxValue);
        string brandId, adminKey;
        Reply accepted;
        await using (var first = await HostProcess.StartAsync(storage))
        {
            using var bootstrap = first.Client(ServiceHost.BootstrapSecret);
            brandId = TestIds.New("brand");
            adminKey = (await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Crash test" })).Str("adminKey");
            using var admin = first.Client(adminKey);
            await admin.PostJson($"/v1/brands/{brandId}/channels", new { id = "web", platform = "webchat", externalAccountId = "site" });
            await admin.PostJson($"/v1/brands/{brandId}/webhooks",
                new { id = "hook", url = receiver.Url, secret = "bot-secret-0123456789abcdef", events = new[] { "message.created" } });
            accepted = await admin.PostJson($"/v1/brands/{brandId}/channels/web/inbound", BrandSetup.Inbound("m-1", "ann", "said just before the crash"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            first.Kill();
        }
        Assert.Empty(receiver.Delivered);

        receiver.FailNext(0);
        await using var second = await HostProcess.StartAsync(storage);
        for (var i = 0; i < 400 && receiver.Delivered.IsEmpty; i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        var delivered = Assert.Single(receiver.Delivered);
        Assert.Equal(accepted.Str("messageId"), delivered["data"]!["messageId"]!.GetValue<string>());
    }
}
