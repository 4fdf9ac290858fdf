using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// The platforms' messaging windows, counted from the customer's last message (its platform time is
/// the clock here, so nothing sleeps), and the consent a marketing reply needs.
/// </summary>
public abstract class ReplyRuleScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    private static object WroteAgo(string messageId, string user, TimeSpan ago) => new
    {
        externalMessageId = messageId,
        externalUserId = user,
        text = "hello",
        timestamp = DateTimeOffset.UtcNow - ago,
        thread = new { visibility = "private" },
    };

    [Theory]
    [InlineData("messenger")]
    [InlineData("instagram")]
    [InlineData("whatsapp")]
    public async Task A_reply_is_accepted_at_23h59_and_refused_at_24h01_storing_nothing(string platform)
    {
        var setup = await Node.NewBrandWithChannelAsync(platform);
        using var admin = setup.Admin();
        var open = await admin.PostJson(setup.InboundPath, WroteAgo("m-1", "ann", TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1)));
        var closed = await admin.PostJson(setup.InboundPath, WroteAgo("m-2", "bob", TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)));
        var say = new { text = "Thanks for writing", purpose = "service" };

        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path($"conversations/{open.Str("conversationId")}/messages"), say)).Status);
        (await admin.PostJson(setup.Path($"conversations/{closed.Str("conversationId")}/messages"), say))
            .AssertProblem((HttpStatusCode)422, "messaging-window-closed");
        var stored = (await admin.GetJson(setup.Path($"conversations/{closed.Str("conversationId")}/messages"))).Body!["items"]!.AsArray();
        Assert.Single(stored);

        var conversation = await admin.GetJson(setup.Path($"conversations/{open.Str("conversationId")}"));
        var closesAt = conversation.Body!["windowClosesAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(closesAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task The_human_agent_tag_keeps_messenger_open_for_seven_days_for_humans_only()
    {
        var setup = await Node.NewBrandWithChannelAsync("messenger");
        var botKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "bot", "helper-bot");
        using var admin = setup.Admin();
        var twoDays = await admin.PostJson(setup.InboundPath, WroteAgo("m-1", "ann", TimeSpan.FromDays(2)));
        var eightDays = await admin.PostJson(setup.InboundPath, WroteAgo("m-2", "bob", TimeSpan.FromDays(8)));
        var tagged = new { text = "Following up on your case", purpose = "service", humanAgentTag = true };

        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path($"conversations/{twoDays.Str("conversationId")}/messages"), tagged)).Status);
        (await admin.PostJson(setup.Path($"conversations/{eightDays.Str("conversationId")}/messages"), tagged))
            .AssertProblem((HttpStatusCode)422, "messaging-window-closed");

        await admin.PostJson(setup.Path($"conversations/{twoDays.Str("conversationId")}/control"), new { action = "pass-to-bot", botId = "helper-bot" });
        using var bot = Node.Client(botKey);
        var refused = (await bot.PostJson(setup.Path($"conversations/{twoDays.Str("conversationId")}/messages"), tagged))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(refused.Body!["errors"]!["humanAgentTag"]);
        (await bot.PostJson(setup.Path($"conversations/{twoDays.Str("conversationId")}/messages"), new { text = "Hi", purpose = "service" }))
            .AssertProblem((HttpStatusCode)422, "messaging-window-closed");
    }

    [Theory]
    [InlineData("x")]
    [InlineData("webchat")]
    public async Task X_and_web_chat_have_no_window(string platform)
    {
        var setup = await Node.NewBrandWithChannelAsync(platform);
        using var admin = setup.Admin();
        var old = await admin.PostJson(setup.InboundPath, WroteAgo("m-1", "ann", TimeSpan.FromDays(30)));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path($"conversations/{old.Str("conversationId")}/messages"),
            new { text = "Better late than never", purpose = "service" })).Status);
        Assert.Null((await admin.GetJson(setup.Path($"conversations/{old.Str("conversationId")}"))).Body!["windowClosesAt"]);
    }

    [Fact]
    public async Task A_marketing_reply_needs_marketing_consent()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Any deals?"));
        var path = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");
        var offer = new { text = "20% off this week!", purpose = "marketing" };

        (await admin.PostJson(path, offer)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        var consentPath = setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing");
        await admin.PutJson(consentPath, new { status = "granted", lawfulBasis = "consent", source = "webchat", evidence = "opt-in box" });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(path, offer)).Status);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(path, new { text = "Here is your tracking link", purpose = "service" })).Status);
        await admin.PutJson(consentPath, new { status = "withdrawn", lawfulBasis = "consent", source = "agent" });
        (await admin.PostJson(path, offer)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");

        var consents = await admin.GetJson(setup.Path($"customers/{inbound.Str("customerId")}/consents"));
        Assert.Equal("withdrawn", consents.Body!["current"]!["marketing"]!["status"]!.GetValue<string>());
        Assert.Equal(2, consents.Body!["history"]!.AsArray().Count);
        Assert.Equal(3, (await admin.GetJson(path)).Body!["items"]!.AsArray().Count);
    }
}

[Trait("Backend", "sqlite")]
public sealed class ReplyRulesOnSqlite(SqliteBackend backend) : ReplyRuleScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class ReplyRulesOnPostgres(PostgresBackend backend) : ReplyRuleScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class ReplyRulesOnSqlServer(SqlServerBackend backend) : ReplyRuleScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
