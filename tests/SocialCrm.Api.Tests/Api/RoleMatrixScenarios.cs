using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>Every role against every route: allowed as docs/api.md says, refused with 403 <c>forbidden</c> otherwise.</summary>
public abstract class RoleMatrixScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    /// <summary>The routes of the conversation core and the roles that may use each.</summary>
    private static readonly (string Name, string[] Allowed)[] Routes =
    [
        ("create-key", ["admin"]),
        ("list-keys", ["admin"]),
        ("revoke-key", ["admin"]),
        ("create-channel", ["admin"]),
        ("list-channels", ["admin", "agent"]),
        ("get-channel", ["admin", "agent"]),
        ("change-channel-secrets", ["admin"]),
        ("inbound", ["admin", "ingest"]),
        ("inbox", ["admin", "agent", "bot"]),
        ("get-conversation", ["admin", "agent", "bot"]),
        ("list-messages", ["admin", "agent", "bot"]),
        ("reply", ["admin", "agent", "bot"]),
        ("get-customer", ["admin", "agent", "compliance"]),
        ("create-brand", []),
        ("insights-mood", ["admin", "agent"]),
        ("insights-terms", ["admin", "agent"]),
        ("insights-alerts", ["admin", "agent"]),
        ("insights-lexicon", ["admin", "agent"]),
        ("set-insights-lexicon", ["admin"]),
        ("set-alert-settings", ["admin"]),
    ];

    public static TheoryData<string> Roles => new("admin", "agent", "bot", "ingest", "compliance");

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_route_allows_exactly_the_roles_the_contract_names(string role)
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "hello"));
        var conversationId = inbound.Str("conversationId");
        var customerId = inbound.Str("customerId");
        var key = role == "admin" ? setup.AdminKey : await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, role, "key-" + role);
        // A bot speaks only where it has control, so the conversation is handed to it first.
        if (role == "bot")
            await admin.PostJson(setup.Path($"conversations/{conversationId}/control"), new { action = "pass-to-bot", botId = "key-bot" });
        using var client = Node.Client(key);

        foreach (var (name, allowed) in Routes)
        {
            var victim = await admin.PostJson(setup.Path("api-keys"), new { name = "victim", role = "agent" });
            var reply = name switch
            {
                "create-key" => await client.PostJson(setup.Path("api-keys"), new { name = "k", role = "agent" }),
                "list-keys" => await client.GetJson(setup.Path("api-keys")),
                "revoke-key" => await client.Delete(setup.Path("api-keys/" + victim.Str("id"))),
                "create-channel" => await client.PostJson(setup.Path("channels"), new { id = TestIds.New("c"), platform = "x", externalAccountId = "a" }),
                "list-channels" => await client.GetJson(setup.Path("channels")),
                "get-channel" => await client.GetJson(setup.Path("channels/" + setup.ChannelId)),
                "change-channel-secrets" => await client.PatchJson(setup.Path($"channels/{setup.ChannelId}/secrets"), new { accessToken = "t" }),
                "inbound" => await client.PostJson(setup.InboundPath, BrandSetup.Inbound(TestIds.New("m"), "u-1", "again")),
                "inbox" => await client.GetJson(setup.Path("conversations")),
                "get-conversation" => await client.GetJson(setup.Path("conversations/" + conversationId)),
                "list-messages" => await client.GetJson(setup.Path($"conversations/{conversationId}/messages")),
                "reply" => await client.PostJson(setup.Path($"conversations/{conversationId}/messages"), new { text = "hi", purpose = "service" }),
                "get-customer" => await client.GetJson(setup.Path("customers/" + customerId)),
                "create-brand" => await client.PostJson("/v1/brands", new { id = TestIds.New("b"), name = "n" }),
                "insights-mood" => await client.GetJson(setup.Path("insights/mood")),
                "insights-terms" => await client.GetJson(setup.Path("insights/terms")),
                "insights-alerts" => await client.GetJson(setup.Path("insights/alerts")),
                "insights-lexicon" => await client.GetJson(setup.Path("insights/lexicon")),
                "set-insights-lexicon" => await client.PutJson(setup.Path("insights/lexicon"), new { terms = new { sick = 3 } }),
                "set-alert-settings" => await client.PutJson(setup.Path("insights/alert-settings"), new { enabled = true, windowMinutes = 5, minMessages = 20,
                    minNegativeShare = 0.4, shareRatio = 2, volumeRatio = 5, cooldownMinutes = 30, baselineHours = 24 }),
                _ => throw new InvalidOperationException(name),
            };
            if (allowed.Contains(role))
                Assert.True((int)reply.Status is >= 200 and < 300, $"{role} should be allowed {name}, got {(int)reply.Status}: {reply.Raw}");
            else
                reply.AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        }
    }
}

[Trait("Backend", "sqlite")]
public sealed class RoleMatrixOnSqlite(SqliteBackend backend) : RoleMatrixScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class RoleMatrixOnPostgres(PostgresBackend backend) : RoleMatrixScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class RoleMatrixOnSqlServer(SqlServerBackend backend) : RoleMatrixScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
