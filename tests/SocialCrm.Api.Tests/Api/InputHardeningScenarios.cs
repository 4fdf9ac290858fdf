using System.Net;
using System.Security.Cryptography;
using System.Text;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Input every database and every caller sees answered alike: a NUL character, control and
/// direction characters in names that become actors, unknown filters, foreign cursors, limits out of
/// range, and requests no route takes are each a problem naming what is wrong, and store nothing.
/// </summary>
public abstract class InputHardeningScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    private static string InboundJson(string field, string value)
    {
        var fields = new Dictionary<string, string?>
        {
            ["externalMessageId"] = "m-1", ["externalUserId"] = "u-1", ["userDisplayName"] = "Ann", ["text"] = "Hello",
            ["externalThreadId"] = "t-1", ["inReplyToExternalMessageId"] = "m-0",
        };
        fields[field.Replace("thread.", "")] = value;
        string Q(string name) => System.Text.Json.JsonSerializer.Serialize(fields[name]);
        return $$"""
            {"externalMessageId":{{Q("externalMessageId")}},"externalUserId":{{Q("externalUserId")}},"userDisplayName":{{Q("userDisplayName")}},
             "text":{{Q("text")}},"thread":{"visibility":"public","externalThreadId":{{Q("externalThreadId")}}},
             "inReplyToExternalMessageId":{{Q("inReplyToExternalMessageId")}}}
            """;
    }

    private static void AssertNames(Reply reply, string field)
    {
        reply.AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.True(reply.Body!["errors"]?[field] is not null, $"the problem names {field}: {reply.Raw}");
    }

    [Theory]
    [InlineData("externalMessageId")]
    [InlineData("externalUserId")]
    [InlineData("userDisplayName")]
    [InlineData("text")]
    [InlineData("thread.externalThreadId")]
    [InlineData("inReplyToExternalMessageId")]
    public async Task A_NUL_in_any_field_of_an_inbound_message_is_refused_naming_the_field_and_nothing_is_stored(string field)
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();

        AssertNames(await admin.PostRaw(setup.InboundPath, InboundJson(field, "a\u0000b")), field);

        var inbox = await admin.GetJson(setup.Path("conversations"));
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        Assert.Empty(inbox.Body!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetJson(setup.Path("customers"))).Status);
        Assert.Empty((await admin.GetJson(setup.Path("customers"))).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_NUL_in_any_other_field_or_filter_is_refused_naming_it()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var bootstrap = Node.Client(ServiceHost.BootstrapSecret);
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        Assert.Equal(HttpStatusCode.Accepted, inbound.Status);
        var conversation = setup.Path($"conversations/{inbound.Str("conversationId")}");

        AssertNames(await bootstrap.PostJson("/v1/brands", new { id = TestIds.New("b"), name = "Acme\0" }), "name");
        AssertNames(await admin.PostJson(setup.Path("api-keys"), new { name = "bot\0", role = "bot" }), "name");
        AssertNames(await admin.PostJson(setup.Path("channels"), new { id = TestIds.New("ch"), platform = "webchat", externalAccountId = "site", displayName = "Web\0" }), "displayName");
        AssertNames(await admin.PostJson(conversation + "/messages", new { text = "Hello\0", purpose = "service" }), "text");
        AssertNames(await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "web\0chat" }), "source");
        AssertNames(await admin.GetJson(setup.Path("audit?actor=a%00b")), "actor");
        AssertNames(await admin.GetJson(setup.Path("conversations?assignee=a%00b")), "assignee");

        var messages = await admin.GetJson(conversation + "/messages");
        Assert.Single(messages.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_NUL_in_a_platforms_webhook_is_dropped_and_the_message_stored_once()
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        using var admin = Node.Client(adminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/v1/brands/{brandId}/channels",
            new { id = channelId, platform = "messenger", externalAccountId = "acct-1", displayName = "Main", secrets = new { appSecret = "app-secret-1" } })).Status);
        var body = """
            {"object":"page","entry":[{"id":"acct-1","time":1764061200000,"messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"acct-1"},"timestamp":1764061200000,"message":{"mid":"m_1","text":"Where\u0000 is my order?"}}
            ]}]}
            """;
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("app-secret-1"u8.ToArray(), Encoding.UTF8.GetBytes(body)));
        using var anyone = Node.Client();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/messenger/{brandId}/{channelId}")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
            using var response = await anyone.SendAsync(request, TestContext.Current.CancellationToken);
            var reply = await Reply.ReadAsync(response);
            Assert.True(reply.Status == HttpStatusCode.OK, reply.Raw);
            Assert.Equal(attempt == 0 ? 1 : 0, reply.Long("accepted"));
        }

        var inbox = await admin.GetJson($"/v1/brands/{brandId}/conversations");
        var id = Assert.Single(inbox.Body!["items"]!.AsArray())!["id"]!.GetValue<string>();
        var messages = await admin.GetJson($"/v1/brands/{brandId}/conversations/{id}/messages");
        Assert.Equal("Where is my order?", Assert.Single(messages.Body!["items"]!.AsArray())!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ci\r\nadmin")]
    [InlineData("line\nbreak")]
    [InlineData("tab\tbed")]
    [InlineData("para\u2029graph")]
    [InlineData("line\u2028sep")]
    [InlineData("evil\u202Egnp.exe")]
    [InlineData("isolate\u2066x\u2069")]
    [InlineData("bell\u0007")]
    [InlineData("del\u007F")]
    [InlineData("nel\u0085")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("bom\uFEFF")]
    public async Task Control_and_direction_characters_are_refused_in_names_that_become_actors_or_audit_values(string name)
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var bootstrap = Node.Client(ServiceHost.BootstrapSecret);
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));

        AssertNames(await admin.PostJson(setup.Path("api-keys"), new { name, role = "agent" }), "name");
        AssertNames(await bootstrap.PostJson("/v1/brands", new { id = TestIds.New("b"), name }), "name");
        AssertNames(await admin.PostJson(setup.Path("channels"), new { id = TestIds.New("ch"), platform = "webchat", externalAccountId = "site", displayName = name }), "displayName");
        AssertNames(await admin.PostJson(setup.Path("channels"), new { id = TestIds.New("ch"), platform = "webchat", externalAccountId = name }), "externalAccountId");
        AssertNames(await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = name }), "source");
        AssertNames(await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "web", policyVersion = name }), "policyVersion");
        AssertNames(await admin.PostJson(setup.InboundPath, new { externalMessageId = "m-2", externalUserId = name, text = "Hi" }), "externalUserId");
        AssertNames(await admin.PostJson(setup.InboundPath, new { externalMessageId = name, externalUserId = "ann", text = "Hi" }), "externalMessageId");
        AssertNames(await admin.PostJson(setup.InboundPath, new { externalMessageId = "m-3", externalUserId = "ann", userDisplayName = name, text = "Hi" }), "userDisplayName");
        AssertNames(await admin.GetJson(setup.Path("audit?actor=" + Uri.EscapeDataString(name))), "actor");

        var keys = await admin.GetJson(setup.Path("api-keys"));
        Assert.Single(keys.Body!.AsArray());
    }

    [Fact]
    public async Task Names_in_any_script_with_joiners_and_emoji_are_accepted()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var name = "Zoë مرحبا می\u200Cخواهم 👩\u200D💻";
        var key = await admin.PostJson(setup.Path("api-keys"), new { name, role = "agent" });
        Assert.Equal(HttpStatusCode.Created, key.Status);
        Assert.Equal(name, key.Str("name"));
        var inbound = await admin.PostJson(setup.InboundPath, new { externalMessageId = "m-1", externalUserId = "ann", userDisplayName = name, text = "Hi\r\n\tthere" });
        Assert.Equal(HttpStatusCode.Accepted, inbound.Status);
    }

    [Fact]
    public async Task A_created_key_says_when_it_was_created()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var created = await admin.PostJson(setup.Path("api-keys"), new { name = "agent-1", role = "agent" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var createdAt = created.Body!["createdAt"]?.GetValue<DateTimeOffset>();
        Assert.NotNull(createdAt);
        Assert.InRange(createdAt.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
        var listed = (await admin.GetJson(setup.Path("api-keys"))).Body!.AsArray().Single(k => k!["id"]!.GetValue<string>() == created.Str("id"));
        Assert.Equal(createdAt, listed!["createdAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("customers?segment=bogus", "segment")]
    [InlineData("customers?cursor=zzz", "cursor")]
    [InlineData("customers?limit=0", "limit")]
    [InlineData("customers?limit=99999999999", "limit")]
    [InlineData("customers?limit=ten", "limit")]
    [InlineData("conversations?cursor=zzz", "cursor")]
    [InlineData("conversations?limit=99999999999", "limit")]
    [InlineData("conversations?limit=-1", "limit")]
    [InlineData("conversations?limit=many", "limit")]
    [InlineData("conversations?status=bogus", "status")]
    [InlineData("conversations?visibility=bogus", "visibility")]
    [InlineData("conversations?channelId=not%20a%20channel", "channelId")]
    [InlineData("conversations?assignee=not%20an%20agent", "assignee")]
    [InlineData("conversations?customerId=not%20a%20customer", "customerId")]
    [InlineData("audit?cursor=zzz", "cursor")]
    [InlineData("audit?limit=99999999999", "limit")]
    [InlineData("audit?limit=x", "limit")]
    [InlineData("audit?from=yesterday", "from")]
    [InlineData("audit?to=2026-13-45", "to")]
    [InlineData("audit?customerId=not%20a%20customer", "customerId")]
    [InlineData("consents?purpose=bogus", "purpose")]
    [InlineData("consents?purpose=marketing&status=bogus", "status")]
    [InlineData("webhooks/hook-1/deliveries?status=bogus", "status")]
    [InlineData("webhooks/hook-1/deliveries?limit=99999999999", "limit")]
    [InlineData("webhooks/hook-1/deliveries?limit=0", "limit")]
    public async Task An_unknown_filter_a_foreign_cursor_or_a_limit_out_of_range_is_refused_naming_it(string query, string field)
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"))).Status);
        AssertNames(await admin.GetJson(setup.Path(query)), field);
    }

    [Theory]
    [InlineData("messages?limit=99999999999", "limit")]
    [InlineData("messages?limit=0", "limit")]
    [InlineData("messages?afterSeq=first", "afterSeq")]
    [InlineData("messages?afterSeq=-1", "afterSeq")]
    public async Task A_message_page_out_of_range_is_refused_naming_the_parameter(string query, string field)
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        AssertNames(await admin.GetJson(setup.Path($"conversations/{inbound.Str("conversationId")}/{query}")), field);
    }

    [Fact]
    public async Task A_cursor_this_service_gave_pages_through_every_customer_once()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", $"user-{i}", "Hi"))).Status);
        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var reply = await admin.GetJson(setup.Path("customers?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            seen.AddRange(reply.Body!["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
            cursor = reply.Body!["nextCursor"]?.GetValue<string>();
            if (cursor is null) break;
        }
        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task A_route_no_endpoint_takes_is_a_problem_detail()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var anyone = Node.Client();

        (await admin.GetJson("/v1/nothing-here")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        // Without a key, every path asks for one first, so that no one maps the routes without a key.
        (await anyone.GetJson("/no/such/page")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        (await Node.Client(ServiceHost.BootstrapSecret).GetJson("/no/such/page")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await admin.GetJson(setup.Path("conversations/a/b/c/d"))).AssertProblem(HttpStatusCode.NotFound, "not-found");
        (await admin.Delete(setup.Path("channels"))).AssertProblem(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        (await admin.PostRaw(setup.InboundPath, "externalMessageId=m-1", "text/plain")).AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        (await admin.PostRaw(setup.InboundPath, "{\"externalMessageId\":", "application/json")).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PostRaw(setup.InboundPath, "", "application/json")).AssertProblem(HttpStatusCode.BadRequest, "validation");

        // Answers that have a body of their own keep it.
        using var live = await anyone.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var openApi = await anyone.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        using var metrics = await anyone.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class InputHardeningOnSqlite(SqliteBackend backend) : InputHardeningScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class InputHardeningOnPostgres(PostgresBackend backend) : InputHardeningScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
