using System.Net;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Insights as a brand sees them: sentiment on every customer message, mood buckets that add up, one
/// alert per burst (and none for a calm brand), what customers praise, curse and invent, the brand's
/// own lexicon, and privacy: erasure takes the scores, a person's mood needs a basis.
/// </summary>
public abstract class InsightScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private const string Happy = "I love this, it is amazing!";
    private const string Angry = "This is terrible, I hate it. Worst service ever.";
    private const string Plain = "What time do you open on Sunday";
    private const string Secret = "insight-hook-secret-0123456789";

    private ServiceHost Node => backend.Node;

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        for (var i = 0; i < seconds * 5; i++)
        {
            if (await condition()) return true;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        return await condition();
    }

    private static object InboundAt(string id, string user, string text, DateTimeOffset at, string visibility = "private", string? thread = null) => new
    {
        externalMessageId = id,
        externalUserId = user,
        text,
        timestamp = at,
        thread = new { visibility, externalThreadId = thread },
    };

    private static long Sum(Reply mood, string field) => mood.Body!["buckets"]!.AsArray().Sum(b => b![field]!.GetValue<long>());

    [Fact]
    public async Task Each_customer_message_carries_its_sentiment_and_the_inbox_filters_on_the_latest()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var happy = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", Happy));
        var angry = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "bob", Angry));

        var messages = await admin.GetJson(setup.Path($"conversations/{angry.Str("conversationId")}/messages"));
        var sentiment = messages.Body!["items"]![0]!["sentiment"]!;
        Assert.Equal("negative", sentiment["label"]!.GetValue<string>());
        Assert.InRange(sentiment["score"]!.GetValue<double>(), -1, -0.05);
        var view = await admin.GetJson(setup.Path($"conversations/{happy.Str("conversationId")}"));
        Assert.Equal("positive", view.Body!["sentiment"]!["label"]!.GetValue<string>());

        var negative = await admin.GetJson(setup.Path("conversations?sentiment=negative"));
        Assert.Equal([angry.Str("conversationId")], negative.Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        // The customer calms down: the conversation leaves the angry view.
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-3", "bob", "Thank you so much, you fixed it, great job!"));
        Assert.Empty((await admin.GetJson(setup.Path("conversations?sentiment=negative"))).Body!["items"]!.AsArray());
        (await admin.GetJson(setup.Path("conversations?sentiment=angry"))).AssertProblem(HttpStatusCode.BadRequest, "validation");

        // A brand reply has no sentiment: it is the customer's mood that counts.
        await admin.PostJson(setup.Path($"conversations/{happy.Str("conversationId")}/messages"), new { text = "Glad you love it!", purpose = "service" });
        var replies = await admin.GetJson(setup.Path($"conversations/{happy.Str("conversationId")}/messages"));
        Assert.Null(replies.Body!["items"]![1]!["sentiment"]);
    }

    [Fact]
    public async Task Mood_buckets_add_up_to_what_was_ingested_and_tell_public_from_private()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var texts = new[] { Happy, Happy, Happy, Angry, Angry, Plain };
        for (var i = 0; i < texts.Length; i++)
            await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"d-{i}", $"u-{i}", texts[i]));
        for (var i = 0; i < 4; i++)
            await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"c-{i}", $"u-{i}", i == 0 ? Happy : Angry, "public", "post-1"));

        Reply mood = null!;
        Assert.True(await EventuallyAsync(async () =>
        {
            mood = await admin.GetJson(setup.Path("insights/mood?granularity=minute"));
            return Sum(mood, "messages") == 10;
        }), mood.Raw);
        Assert.Equal(4, Sum(mood, "positive"));
        Assert.Equal(5, Sum(mood, "negative"));
        Assert.Equal(1, Sum(mood, "neutral"));
        foreach (var bucket in mood.Body!["buckets"]!.AsArray())
            Assert.Equal(bucket!["messages"]!.GetValue<long>(),
                bucket["positive"]!.GetValue<long>() + bucket["neutral"]!.GetValue<long>() + bucket["negative"]!.GetValue<long>());

        var publicMood = await admin.GetJson(setup.Path($"insights/mood?granularity=hour&visibility=public&channelId={setup.ChannelId}"));
        Assert.Equal(4, Sum(publicMood, "messages"));
        Assert.Equal(3, Sum(publicMood, "negative"));
        Assert.True(publicMood.Body!["buckets"]![0]!["meanScore"]!.GetValue<double>() < 0);
        var day = await admin.GetJson(setup.Path("insights/mood?granularity=day&visibility=private"));
        Assert.Equal(6, Sum(day, "messages"));

        (await admin.GetJson(setup.Path("insights/mood?granularity=week"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.GetJson(setup.Path("insights/mood?granularity=minute&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        // Another brand sees none of it.
        var other = await Node.NewBrandWithChannelAsync();
        using var otherAdmin = other.Admin();
        Assert.Equal(0, Sum(await otherAdmin.GetJson(other.Path("insights/mood?granularity=minute")), "messages"));
    }

    [Fact]
    public async Task A_burst_of_anger_after_a_calm_baseline_raises_one_alert_with_a_webhook_and_a_calm_brand_none()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        receiver.Secret = Secret;
        var settings = new Dictionary<string, string?>(await backend.NewStorageAsync())
        {
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Insights:Alerts:MinMessages"] = "10",
        };
        await using var node = await backend.StartNodeAsync(settings);
        var setup = await node.NewBrandWithChannelAsync();
        var calm = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var calmAdmin = calm.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("webhooks"),
            new { id = "mood-hook", url = receiver.Url, secret = Secret, events = new[] { "insight.alert", "automation.fired" } })).Status);
        // A rule on the brand's alerts pages someone through the automation.fired webhook.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("automation/rules"), new
        {
            id = "page-on-call", name = "Page on call", order = 1, enabled = true, trigger = new { type = "insight-alert" },
            actions = new object[] { new { type = "webhook" } },
        })).Status);

        // The usual level: an hour ago, mostly content customers.
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 30; i++)
            await admin.PostJson(setup.InboundPath, InboundAt($"old-{i}", $"u-{i}", i % 10 == 0 ? Angry : Happy, hourAgo.AddSeconds(i)));
        Assert.True(await EventuallyAsync(async () => Sum(await admin.GetJson(setup.Path("insights/mood?granularity=minute&from=" +
            Uri.EscapeDataString(hourAgo.AddMinutes(-5).ToString("O")))), "messages") == 30));

        // A calm brand with as many messages now, a few of them unhappy.
        for (var i = 0; i < 15; i++)
            await calmAdmin.PostJson(calm.InboundPath, BrandSetup.Inbound($"calm-{i}", $"c-{i}", i % 5 == 0 ? Angry : Happy));

        var started = DateTimeOffset.UtcNow;
        var burst = new List<string>();
        for (var i = 0; i < 14; i++)
            burst.Add((await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"burst-{i}", $"b-{i}", Angry))).Str("messageId"));

        JsonArray alerts = [];
        Assert.True(await EventuallyAsync(async () =>
        {
            alerts = (await admin.GetJson(setup.Path("insights/alerts"))).Body!["items"]!.AsArray();
            return alerts.Count > 0;
        }, seconds: 60));
        var raisedWithin = DateTimeOffset.UtcNow - started;
        Assert.True(raisedWithin < TimeSpan.FromSeconds(60), raisedWithin.ToString());
        var alert = alerts.Single()!;
        Assert.Equal("negative-share", alert["kind"]!.GetValue<string>());
        Assert.Equal("raised", alert["status"]!.GetValue<string>());
        Assert.Equal(setup.ChannelId, alert["channelId"]!.GetValue<string>());
        Assert.True(alert["negativeShare"]!.GetValue<double>() > alert["baselineShare"]!.GetValue<double>() * 2);
        Assert.True(alert["messages"]!.GetValue<long>() >= 10);
        var samples = alert["sampleMessageIds"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.Contains(s, burst));

        Assert.True(await EventuallyAsync(() => Task.FromResult(receiver.Delivered.Any(d => d["type"]!.GetValue<string>() == "insight.alert"))));
        var delivered = receiver.Delivered.First(d => d["type"]!.GetValue<string>() == "insight.alert");
        Assert.Equal(alert["id"]!.GetValue<string>(), delivered["data"]!["id"]!.GetValue<string>());
        Assert.True(await EventuallyAsync(() => Task.FromResult(receiver.Delivered.Any(d => d["type"]!.GetValue<string>() == "automation.fired"))));
        var paged = receiver.Delivered.First(d => d["type"]!.GetValue<string>() == "automation.fired");
        Assert.Equal("page-on-call", paged["data"]!["ruleId"]!.GetValue<string>());
        Assert.Equal(alert["id"]!.GetValue<string>(), paged["data"]!["alert"]!["id"]!.GetValue<string>());
        Assert.Equal(1, (await admin.GetJson(setup.Path("automation/rules/page-on-call"))).Body!["stats"]!["fired"]!.GetValue<long>());

        // More anger in the same episode is no new alert.
        for (var i = 0; i < 10; i++) await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"more-{i}", $"m-{i}", Angry));
        await Task.Delay(3000, TestContext.Current.CancellationToken);
        Assert.Single((await admin.GetJson(setup.Path("insights/alerts"))).Body!["items"]!.AsArray());
        Assert.Empty((await calmAdmin.GetJson(calm.Path("insights/alerts"))).Body!["items"]!.AsArray());
        Assert.Single(receiver.Delivered, d => d["type"]!.GetValue<string>() == "insight.alert");
    }

    [Fact]
    public async Task Terms_find_the_praised_feature_the_complaint_and_the_unusual_use()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        string[] texts =
        [
            "I love the battery life on this blender, amazing",
            "The battery life is excellent, so happy",
            "Great battery life, love it",
            "The lid is awful and it leaks everywhere",
            "Terrible lid, cracked after a week",
            "I use it as a paint mixer in my garage lol",
            "What time do you open on Sunday",
        ];
        var ids = new List<string>();
        for (var i = 0; i < texts.Length; i++)
            ids.Add((await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"t-{i}", $"u-{i}", texts[i]))).Str("messageId"));

        Reply terms = null!;
        Assert.True(await EventuallyAsync(async () =>
        {
            terms = await admin.GetJson(setup.Path("insights/terms"));
            return terms.Body!["unusualUses"]!.AsArray().Count > 0 && terms.Body["advantages"]!.AsArray().Count > 0;
        }), terms?.Raw);
        var advantage = terms!.Body!["advantages"]![0]!;
        Assert.Equal("battery life", advantage["term"]!.GetValue<string>());
        Assert.Equal(3, advantage["count"]!.GetValue<long>());
        Assert.All(advantage["exampleMessageIds"]!.AsArray(), id => Assert.Contains(id!.GetValue<string>(), ids.Take(3)));
        Assert.Equal("lid", terms.Body["disadvantages"]![0]!["term"]!.GetValue<string>());
        Assert.Equal("paint mixer", terms.Body["unusualUses"]![0]!["term"]!.GetValue<string>());
        Assert.DoesNotContain(terms.Body["advantages"]!.AsArray(), t => t!["term"]!.GetValue<string>() is "love" or "the" or "i");
    }

    [Fact]
    public async Task A_brand_lexicon_turns_its_slang_positive_and_bad_lexicons_are_refused()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var before = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("s-1", "ann", "these sneakers are sick"));
        var put = await admin.PutJson(setup.Path("insights/lexicon"), new { terms = new Dictionary<string, double> { ["sick"] = 3 } });
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(3, (await admin.GetJson(setup.Path("insights/lexicon"))).Body!["terms"]!["sick"]!.GetValue<double>());
        var after = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("s-2", "bob", "these sneakers are sick"));

        async Task<string> LabelOf(Reply inbound) => (await admin.GetJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages")))
            .Body!["items"]![0]!["sentiment"]!["label"]!.GetValue<string>();
        Assert.Equal("negative", await LabelOf(before));
        Assert.Equal("positive", await LabelOf(after));

        (await admin.PutJson(setup.Path("insights/lexicon"), new { terms = new Dictionary<string, double> { ["sick"] = 9 } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PutJson(setup.Path("insights/lexicon"), new { nope = 1 })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(3, (await admin.GetJson(setup.Path("insights/lexicon"))).Body!["terms"]!["sick"]!.GetValue<double>());
        (await admin.PutJson(setup.Path("insights/alert-settings"), new { enabled = true, windowMinutes = 0, minMessages = 20, minNegativeShare = 0.4,
            shareRatio = 2, volumeRatio = 5, cooldownMinutes = 30, baselineHours = 24 })).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task The_export_shows_the_scores_erasure_takes_them_and_term_examples_and_a_persons_mood_needs_a_basis()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var ann = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("e-1", "ann", "The zipper is awful and broke on day one"));
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("e-2", "ann", "Still angry, terrible zipper"));
        var customerId = ann.Str("customerId");

        // Profiling needs consent (or the brand's legitimate interest without an objection).
        (await admin.GetJson(setup.Path($"customers/{customerId}/mood"))).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        await admin.PutJson(setup.Path($"customers/{customerId}/consents/profiling"), new { status = "granted", lawfulBasis = "consent", source = "form" });
        var mood = await admin.GetJson(setup.Path($"customers/{customerId}/mood"));
        Assert.Equal(2, mood.Long("messages"));
        Assert.Equal(2, mood.Long("negative"));
        Assert.True(mood.Body!["meanScore"]!.GetValue<double>() < 0);
        Assert.Equal("consent", mood.Str("basis"));
        await admin.PutJson(setup.Path($"customers/{customerId}/consents/profiling"), new { status = "withdrawn", lawfulBasis = "consent", source = "email" });
        (await admin.GetJson(setup.Path($"customers/{customerId}/mood"))).AssertProblem(HttpStatusCode.Forbidden, "consent-required");

        Assert.True(await EventuallyAsync(async () =>
            (await admin.GetJson(setup.Path("insights/terms"))).Body!["disadvantages"]!.AsArray().Any(t => t!["term"]!.GetValue<string>() == "zipper")));
        var export = await admin.GetJson(setup.Path($"customers/{customerId}/export"));
        Assert.Equal("negative", export.Body!["conversations"]![0]!["messages"]![0]!["sentiment"]!["label"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.Delete(setup.Path("customers/" + customerId))).Status);

        var messages = await admin.GetJson(setup.Path($"conversations/{ann.Str("conversationId")}/messages"));
        Assert.All(messages.Body!["items"]!.AsArray(), m => Assert.Null(m!["sentiment"]));
        Assert.Null((await admin.GetJson(setup.Path($"conversations/{ann.Str("conversationId")}"))).Body!["sentiment"]);
        var zipper = (await admin.GetJson(setup.Path("insights/terms"))).Body!["disadvantages"]!.AsArray()
            .Single(t => t!["term"]!.GetValue<string>() == "zipper")!;
        // The count stays (it is about the brand, not the person); the examples that pointed at their words go.
        Assert.Equal(2, zipper["count"]!.GetValue<long>());
        Assert.Empty(zipper["exampleMessageIds"]!.AsArray());
        Assert.Empty((await admin.GetJson(setup.Path("conversations?sentiment=negative"))).Body!["items"]!.AsArray());
    }
}

[Trait("Backend", "sqlite")]
public sealed class InsightsOnSqlite(SqliteBackend backend) : InsightScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class InsightsOnPostgres(PostgresBackend backend) : InsightScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class InsightsOnSqlServer(SqlServerBackend backend) : InsightScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
