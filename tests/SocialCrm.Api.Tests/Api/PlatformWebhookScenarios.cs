using System.Net;
using System.Security.Cryptography;
using System.Text;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// The platforms' own webhooks, as Meta and X send them: their handshakes, their signatures over
/// the raw body (computed here independently of the service), and their payloads landing in the
/// right conversations, each message once however often the platform sends it again.
/// </summary>
public abstract class PlatformWebhookScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    private async Task<(string BrandId, string AdminKey, string ChannelId)> ChannelAsync(string platform, object secrets)
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        using var admin = Node.Client(adminKey);
        var created = await admin.PostJson($"/v1/brands/{brandId}/channels",
            new { id = channelId, platform, externalAccountId = "acct-1", displayName = "Main", secrets });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (brandId, adminKey, channelId);
    }

    private async Task<Reply> SendAsync(string path, string body, string header, string signature)
    {
        using var client = Node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(header, signature);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await Reply.ReadAsync(response);
    }

    private static string MetaSignature(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string XSignature(string secret, string body) =>
        "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task<List<(string Visibility, string Text, string Author)>> AllMessagesAsync(HttpClient admin, string brandId)
    {
        var found = new List<(string, string, string)>();
        var inbox = await admin.GetJson($"/v1/brands/{brandId}/conversations");
        foreach (var conversation in inbox.Body!["items"]!.AsArray())
        {
            var id = conversation!["id"]!.GetValue<string>();
            var messages = await admin.GetJson($"/v1/brands/{brandId}/conversations/{id}/messages");
            foreach (var m in messages.Body!["items"]!.AsArray())
                found.Add((conversation["visibility"]!.GetValue<string>(), m!["text"]!.GetValue<string>(), m["authorId"]!.GetValue<string>()));
        }
        return found;
    }

    [Fact]
    public async Task Meta_subscription_check_answers_the_challenge_only_with_the_channels_verify_token()
    {
        var (brandId, _, channelId) = await ChannelAsync("messenger", new { appSecret = "app-secret-1", verifyToken = "verify-me-42" });
        using var anyone = Node.Client();
        var path = $"/webhooks/messenger/{brandId}/{channelId}";

        using var ok = await anyone.GetAsync(path + "?hub.mode=subscribe&hub.verify_token=verify-me-42&hub.challenge=1158201444", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await anyone.GetJson(path + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await anyone.GetJson(path + "?hub.mode=subscribe&hub.challenge=1")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        // The route's platform must be the channel's, and the channel must be the brand's.
        (await anyone.GetJson($"/webhooks/whatsapp/{brandId}/{channelId}?hub.mode=subscribe&hub.verify_token=verify-me-42&hub.challenge=1"))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
        var (otherBrand, _) = await Node.NewBrandAsync();
        (await anyone.GetJson($"/webhooks/messenger/{otherBrand}/{channelId}?hub.mode=subscribe&hub.verify_token=verify-me-42&hub.challenge=1"))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_signed_messenger_body_lands_in_the_customers_private_conversation_once_however_often_it_is_sent()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("messenger", new { appSecret = "app-secret-1" });
        using var admin = Node.Client(adminKey);
        var path = $"/webhooks/messenger/{brandId}/{channelId}";
        var body = """
            {"object":"page","entry":[{"id":"acct-1","time":1764061200000,"messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"acct-1"},"timestamp":1764061200000,"message":{"mid":"m_1","text":"Where is my order?"}},
              {"sender":{"id":"acct-1"},"recipient":{"id":"psid-ann"},"timestamp":1764061201000,"message":{"mid":"m_2","text":"Our own echo","is_echo":true}},
              {"sender":{"id":"psid-ann"},"recipient":{"id":"acct-1"},"timestamp":1764061202000,"read":{"watermark":1764061201000}}
            ]}]}
            """;

        var first = await SendAsync(path, body, "X-Hub-Signature-256", MetaSignature("app-secret-1", body));
        Assert.True(first.Status == HttpStatusCode.OK, first.Raw);
        Assert.Equal(1, first.Long("accepted"));
        Assert.Equal(2, first.Long("skipped"));
        var again = await SendAsync(path, body, "X-Hub-Signature-256", MetaSignature("app-secret-1", body));
        Assert.Equal(1, again.Long("duplicates"));
        Assert.Equal(0, again.Long("accepted"));

        var stored = await AllMessagesAsync(admin, brandId);
        var message = Assert.Single(stored);
        Assert.Equal(("private", "Where is my order?"), (message.Visibility, message.Text));
    }

    [Fact]
    public async Task A_bad_missing_or_unverifiable_signature_and_an_unreadable_body_store_nothing()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("messenger", new { appSecret = "app-secret-1" });
        using var admin = Node.Client(adminKey);
        var path = $"/webhooks/messenger/{brandId}/{channelId}";
        var body = """{"object":"page","entry":[{"id":"acct-1","messaging":[{"sender":{"id":"psid-1"},"timestamp":1,"message":{"mid":"m_9","text":"hi"}}]}]}""";

        (await SendAsync(path, body, "X-Hub-Signature-256", MetaSignature("someone-elses-secret", body))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        (await SendAsync(path, body, "X-Hub-Signature-256", "sha256=not-hex")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        (await SendAsync(path, body, "X-Other", "x")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        (await SendAsync(path, body + " ", "X-Hub-Signature-256", MetaSignature("app-secret-1", body))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        const string garbage = "{not json";
        (await SendAsync(path, garbage, "X-Hub-Signature-256", MetaSignature("app-secret-1", garbage))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        // A channel without an app secret cannot prove anything: refused, not trusted.
        var (bareBrand, _, bareChannel) = await ChannelAsync("instagram", new { accessToken = "token" });
        (await SendAsync($"/webhooks/instagram/{bareBrand}/{bareChannel}", body, "X-Hub-Signature-256", MetaSignature("", body)))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Empty(await AllMessagesAsync(admin, brandId));
    }

    [Fact]
    public async Task Facebook_and_instagram_comments_join_the_public_thread_of_their_post()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("instagram", new { appSecret = "ig-secret" });
        using var admin = Node.Client(adminKey);
        var body = """
            {"object":"instagram","entry":[{"id":"acct-1","time":1764061200,"changes":[
              {"field":"comments","value":{"id":"c-1","text":"Love this colour","from":{"id":"ig-ann","username":"ann"},"media":{"id":"media-7"}}},
              {"field":"comments","value":{"id":"c-2","text":"Same here","from":{"id":"ig-bob","username":"bob"},"media":{"id":"media-7"},"parent_id":"c-1"}},
              {"field":"comments","value":{"id":"c-3","text":"Thanks!","from":{"id":"acct-1","username":"brand"},"media":{"id":"media-7"}}}
            ]}]}
            """;
        var reply = await SendAsync($"/webhooks/instagram/{brandId}/{channelId}", body, "X-Hub-Signature-256", MetaSignature("ig-secret", body));
        Assert.Equal(2, reply.Long("accepted"));

        var inbox = await admin.GetJson($"/v1/brands/{brandId}/conversations");
        var thread = Assert.Single(inbox.Body!["items"]!.AsArray());
        Assert.Equal("public", thread!["visibility"]!.GetValue<string>());
        Assert.Equal("media-7", thread["externalThreadId"]!.GetValue<string>());
        var stored = await AllMessagesAsync(admin, brandId);
        Assert.Equal(["Love this colour", "Same here"], stored.Select(m => m.Text));
        Assert.NotEqual(stored[0].Author, stored[1].Author);
    }

    [Fact]
    public async Task A_whatsapp_message_is_stored_and_delivery_receipts_are_not()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("whatsapp", new { appSecret = "wa-secret" });
        using var admin = Node.Client(adminKey);
        var body = """
            {"object":"whatsapp_business_account","entry":[{"id":"waba-1","changes":[{"field":"messages","value":{
              "messaging_product":"whatsapp","metadata":{"phone_number_id":"pn-1"},
              "contacts":[{"profile":{"name":"Ann Example"},"wa_id":"4915550001"}],
              "messages":[{"from":"4915550001","id":"wamid.AAA","timestamp":"1764061200","type":"text","text":{"body":"Is the shop open on Sunday?"}}],
              "statuses":[{"id":"wamid.OURS","status":"delivered","timestamp":"1764061201","recipient_id":"4915550001"}]}}]}]}
            """;
        var reply = await SendAsync($"/webhooks/whatsapp/{brandId}/{channelId}", body, "X-Hub-Signature-256", MetaSignature("wa-secret", body));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1, reply.Long("accepted"));
        Assert.Equal(1, reply.Long("skipped"));
        var message = Assert.Single(await AllMessagesAsync(admin, brandId));
        Assert.Equal("Is the shop open on Sunday?", message.Text);
        var customer = await admin.GetJson($"/v1/brands/{brandId}/customers/{message.Author}");
        Assert.Contains("Ann Example", customer.Raw);
    }

    [Fact]
    public async Task X_answers_its_challenge_with_the_consumer_secret_and_takes_direct_messages_and_replies()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("x", new { consumerSecret = "x-consumer-secret" });
        using var admin = Node.Client(adminKey);
        using var anyone = Node.Client();
        var path = $"/webhooks/x/{brandId}/{channelId}";

        var crc = await anyone.GetJson(path + "?crc_token=challenge-123");
        Assert.Equal(HttpStatusCode.OK, crc.Status);
        var expected = "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("x-consumer-secret"), Encoding.UTF8.GetBytes("challenge-123")));
        Assert.Equal(expected, crc.Str("response_token"));

        var body = """
            {"for_user_id":"acct-1",
             "direct_message_events":[
               {"type":"message_create","id":"dm-1","created_timestamp":"1764061200000","message_create":{"target":{"recipient_id":"acct-1"},"sender_id":"x-ann","message_data":{"text":"My parcel is late"}}},
               {"type":"message_create","id":"dm-2","created_timestamp":"1764061201000","message_create":{"target":{"recipient_id":"x-ann"},"sender_id":"acct-1","message_data":{"text":"Our own reply"}}}],
             "users":{"x-ann":{"id":"x-ann","name":"Ann X","screen_name":"annx"}},
             "tweet_create_events":[{"id_str":"t-2","text":"@brand this is great","in_reply_to_status_id_str":"t-1","timestamp_ms":"1764061202000","user":{"id_str":"x-bob","name":"Bob"}}]}
            """;
        (await SendAsync(path, body, "X-Twitter-Webhooks-Signature", MetaSignature("x-consumer-secret", body)))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated"); // X signs in base64, not hex
        var reply = await SendAsync(path, body, "X-Twitter-Webhooks-Signature", XSignature("x-consumer-secret", body));
        Assert.Equal(2, reply.Long("accepted"));
        Assert.Equal(1, reply.Long("skipped"));

        var stored = await AllMessagesAsync(admin, brandId);
        Assert.Contains(("private", "My parcel is late"), stored.Select(m => (m.Visibility, m.Text)));
        Assert.Contains(("public", "@brand this is great"), stored.Select(m => (m.Visibility, m.Text)));
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task An_anonymous_caller_cannot_get_a_body_signed_through_the_x_challenge_and_withdraw_a_customers_consent()
    {
        var (brandId, adminKey, channelId) = await ChannelAsync("x", new { consumerSecret = "x-consumer-secret" });
        using var admin = Node.Client(adminKey);
        using var anyone = Node.Client();
        var path = $"/webhooks/x/{brandId}/{channelId}";
        // Ann writes, and grants marketing.
        var hello = """{"for_user_id":"acct-1","direct_message_events":[{"type":"message_create","id":"dm-1","created_timestamp":"1764061200000","message_create":{"target":{"recipient_id":"acct-1"},"sender_id":"x-ann","message_data":{"text":"Hi there"}}}]}""";
        Assert.Equal(1, (await SendAsync(path, hello, "X-Twitter-Webhooks-Signature", XSignature("x-consumer-secret", hello))).Long("accepted"));
        var ann = Assert.Single(await AllMessagesAsync(admin, brandId)).Author;
        var consent = $"/v1/brands/{brandId}/customers/{ann}/consents";
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson(consent + "/marketing",
            new { status = "granted", lawfulBasis = "consent", source = "x", evidence = "opt-in" })).Status);

        // The attacker asks the challenge to "answer" a STOP in Ann's name, and posts it with that answer as its signature.
        var forged = """{"for_user_id":"acct-1","direct_message_events":[{"type":"message_create","id":"dm-666","created_timestamp":"1764061300000","message_create":{"target":{"recipient_id":"acct-1"},"sender_id":"x-ann","message_data":{"text":"STOP"}}}]}""";
        var crc = await anyone.GetJson(path + "?crc_token=" + Uri.EscapeDataString(forged));
        var stolen = crc.Body?["response_token"]?.GetValue<string>() ?? "";
        var posted = await SendAsync(path, forged, "X-Twitter-Webhooks-Signature", stolen);

        var consents = await admin.GetJson(consent);
        Assert.Equal("granted", consents.Body!["current"]!["marketing"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("STOP", (await AllMessagesAsync(admin, brandId)).Select(m => m.Text));
        crc.AssertProblem(HttpStatusCode.BadRequest, "validation");
        posted.AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_x_challenge_answers_a_short_opaque_token_and_refuses_anything_that_could_be_a_body()
    {
        var (brandId, _, channelId) = await ChannelAsync("x", new { consumerSecret = "x-consumer-secret" });
        using var anyone = Node.Client();
        var path = $"/webhooks/x/{brandId}/{channelId}?crc_token=";

        // What X sends: a short opaque string, answered with its HMAC.
        const string token = "Y2hhbGxlbmdl-Tk9XXzE3NjQ_LjEy+/=";
        var answered = await anyone.GetJson(path + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal(XSignature("x-consumer-secret", token), answered.Str("response_token"));

        // Too long, or anything a webhook body could be: JSON of any kind, spaces, quotes, braces.
        foreach (var refused in new[] { new string('a', 129), "{}", "[]", "{\"a\":1}", "123", "-1.5e+3", "true", "null", "a b", "tok\u00e9n", "\"x\"" })
        {
            var reply = await anyone.GetJson(path + Uri.EscapeDataString(refused));
            reply.AssertProblem(HttpStatusCode.BadRequest, "validation");
            Assert.Null(reply.Body?["response_token"]);
        }
    }

    [Fact]
    public async Task The_meta_challenge_is_echoed_only_when_it_is_a_short_opaque_token()
    {
        var (brandId, _, channelId) = await ChannelAsync("messenger", new { appSecret = "app-secret-1", verifyToken = "verify-me-42" });
        using var anyone = Node.Client();
        var path = $"/webhooks/messenger/{brandId}/{channelId}?hub.mode=subscribe&hub.verify_token=verify-me-42&hub.challenge=";

        (await anyone.GetJson(path + Uri.EscapeDataString("<script>alert(1)</script>"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await anyone.GetJson(path + new string('7', 129))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetJson(path + "1158201444")).Status);
    }
}

[Trait("Backend", "sqlite")]
public sealed class PlatformWebhooksOnSqlite(SqliteBackend backend) : PlatformWebhookScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class PlatformWebhooksOnPostgres(PostgresBackend backend) : PlatformWebhookScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
