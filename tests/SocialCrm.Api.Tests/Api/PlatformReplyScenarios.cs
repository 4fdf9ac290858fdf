using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Replies leave for Messenger, Instagram, WhatsApp and X through the platforms' own APIs (a fake
/// of them on loopback): addressed to the customer who wrote, under the comment they answer, with
/// the channel's token; a refusal fails the reply at once, throttling is retried.
/// </summary>
public abstract class PlatformReplyScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private sealed record Channel(ServiceHost Node, string BrandId, string AdminKey, string ChannelId, string Platform, string Secret)
    {
        public HttpClient Admin() => Node.Client(AdminKey);

        public string Path(string rest) => $"/v1/brands/{BrandId}/{rest}";
    }

    private static async Task<Channel> ChannelAsync(ServiceHost node, string platform, string account, string? accessToken = "channel-token")
    {
        var (brandId, adminKey) = await node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        var secret = "app-secret-" + channelId;
        using var admin = node.Client(adminKey);
        var secrets = new Dictionary<string, string?> { [platform == "x" ? "consumerSecret" : "appSecret"] = secret, ["accessToken"] = accessToken };
        var created = await admin.PostJson($"/v1/brands/{brandId}/channels",
            new { id = channelId, platform, externalAccountId = account, displayName = "Main", secrets });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return new Channel(node, brandId, adminKey, channelId, platform, secret);
    }

    /// <summary>An X channel with OAuth 2.0 user tokens the service may refresh: the access token expires at <paramref name="expiresAt"/>.</summary>
    private static async Task<Channel> XChannelAsync(ServiceHost node, DateTimeOffset expiresAt, string? refreshToken = "refresh-1")
    {
        var (brandId, adminKey) = await node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        var secret = "consumer-secret-" + channelId;
        using var admin = node.Client(adminKey);
        var created = await admin.PostJson($"/v1/brands/{brandId}/channels", new
        {
            id = channelId, platform = "x", externalAccountId = "acct-1", displayName = "Main",
            secrets = new
            {
                consumerSecret = secret, accessToken = "old-access", refreshToken, clientId = "client-1", clientSecret = "client-secret-1",
                accessTokenExpiresAt = expiresAt,
            },
        });
        Assert.True(created.Status == HttpStatusCode.Created, created.Raw);
        return new Channel(node, brandId, adminKey, channelId, "x", secret);
    }

    private const string AnnWritesOnX = """
        {"for_user_id":"acct-1","direct_message_events":[{"type":"message_create","id":"dm-1","created_timestamp":"NOW_MS","message_create":{"target":{"recipient_id":"acct-1"},"sender_id":"x-ann","message_data":{"text":"My parcel is late"}}}]}
        """;

    /// <summary>Delivers a platform webhook body, signed as the platform signs it, and returns the conversations it landed in.</summary>
    private static async Task<List<string>> ReceiveAsync(Channel channel, string body)
    {
        // The platforms' times count for their reply windows: the customer writes now.
        var now = DateTimeOffset.UtcNow;
        body = body.Replace("NOW_MS", now.ToUnixTimeMilliseconds().ToString()).Replace("NOW_S", now.ToUnixTimeSeconds().ToString())
            .Replace("TWO_DAYS_AGO_MS", now.AddDays(-2).ToUnixTimeMilliseconds().ToString());
        var key = Encoding.UTF8.GetBytes(channel.Secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body));
        var (header, signature) = channel.Platform == "x"
            ? ("X-Twitter-Webhooks-Signature", "sha256=" + Convert.ToBase64String(mac))
            : ("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(mac));
        using var client = channel.Node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{channel.Platform}/{channel.BrandId}/{channel.ChannelId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, signature);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var admin = channel.Admin();
        var inbox = await admin.GetJson(channel.Path("conversations"));
        return inbox.Body!["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
    }

    private static async Task<(long Seq, string? Status, string? ExternalId)> ReplyAsync(Channel channel, string conversationId, string text,
        string expectedStatus = "sent", bool humanAgentTag = false)
    {
        using var admin = channel.Admin();
        var path = channel.Path($"conversations/{conversationId}/messages");
        var reply = await admin.PostJson(path, new { text, purpose = "service", humanAgentTag });
        Assert.True(reply.Status == HttpStatusCode.Created, reply.Raw);
        var (status, externalId) = await DeliveryAsync(channel, conversationId, reply.Long("seq"), expectedStatus);
        return (reply.Long("seq"), status, externalId);
    }

    /// <summary>Polls a message until its delivery status is the expected one (or 20 s pass): its status and platform id.</summary>
    private static async Task<(string? Status, string? ExternalId)> DeliveryAsync(Channel channel, string conversationId, long seq,
        string expectedStatus = "sent")
    {
        using var admin = channel.Admin();
        var path = channel.Path($"conversations/{conversationId}/messages");
        JsonNode? message = null;
        for (var attempt = 0; attempt < 200 && message?["deliveryStatus"]?.GetValue<string>() != expectedStatus; attempt++)
        {
            if (attempt > 0) await Task.Delay(100, TestContext.Current.CancellationToken);
            message = (await admin.GetJson($"{path}?afterSeq={seq - 1}&limit=1")).Body!["items"]![0];
        }
        return (message?["deliveryStatus"]?.GetValue<string>(), message?["externalMessageId"]?.GetValue<string>());
    }

    private static string Text(JsonNode? node, string path)
    {
        foreach (var name in path.Split('.')) node = node?[name];
        return node?.GetValue<string>() ?? "";
    }

    [Fact]
    public async Task A_messenger_reply_goes_to_the_customers_page_scoped_id_with_the_page_token()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "messenger", "page-1", accessToken: "page-token-1");
        var conversations = await ReceiveAsync(channel, """
            {"object":"page","entry":[{"id":"page-1","messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"page-1"},"timestamp":NOW_MS,"message":{"mid":"m_1","text":"Where is my order?"}}]}]}
            """);

        var (_, status, externalId) = await ReplyAsync(channel, Assert.Single(conversations), "It ships today.");
        Assert.Equal("sent", status);
        Assert.Equal("out-1", externalId); // the platform's id of the message, kept with it
        var call = Assert.Single(api.Calls);
        Assert.Equal("/meta/me/messages", call.Path);
        Assert.Equal("Bearer page-token-1", call.Authorization);
        Assert.Equal("psid-ann", Text(call.Body, "recipient.id"));
        Assert.Equal("RESPONSE", Text(call.Body, "messaging_type"));
        Assert.Equal("It ships today.", Text(call.Body, "message.text"));
    }

    [Fact]
    public async Task After_the_24_hour_window_a_messenger_reply_with_the_human_agent_tag_is_sent_tagged()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "messenger", "page-1");
        var conversation = Assert.Single(await ReceiveAsync(channel, """
            {"object":"page","entry":[{"id":"page-1","messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"page-1"},"timestamp":TWO_DAYS_AGO_MS,"message":{"mid":"m_1","text":"Any news?"}}]}]}
            """));

        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Your refund went out today.", humanAgentTag: true)).Status);
        var call = Assert.Single(api.Calls);
        Assert.Equal(("MESSAGE_TAG", "HUMAN_AGENT", "psid-ann"),
            (Text(call.Body, "messaging_type"), Text(call.Body, "tag"), Text(call.Body, "recipient.id")));
    }

    [Fact]
    public async Task A_whatsapp_reply_goes_from_the_channels_phone_number_to_the_customers_number()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "whatsapp", "pn-1");
        var conversations = await ReceiveAsync(channel, """
            {"object":"whatsapp_business_account","entry":[{"id":"waba-1","changes":[{"field":"messages","value":{
              "messaging_product":"whatsapp","metadata":{"phone_number_id":"pn-1"},
              "contacts":[{"profile":{"name":"Ann"},"wa_id":"4915550001"}],
              "messages":[{"from":"4915550001","id":"wamid.A","timestamp":"NOW_S","type":"text","text":{"body":"Open on Sunday?"}}]}}]}]}
            """);

        var reply = await ReplyAsync(channel, Assert.Single(conversations), "Yes, from ten.");
        Assert.Equal(("sent", "out-1"), (reply.Status, reply.ExternalId));
        var call = Assert.Single(api.Calls);
        Assert.Equal("/meta/pn-1/messages", call.Path);
        Assert.Equal("Bearer channel-token", call.Authorization);
        Assert.Equal(("whatsapp", "4915550001", "text", "Yes, from ten."),
            (Text(call.Body, "messaging_product"), Text(call.Body, "to"), Text(call.Body, "type"), Text(call.Body, "text.body")));
    }

    [Fact]
    public async Task A_public_reply_answers_the_newest_comment_on_facebook_and_instagram()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var page = await ChannelAsync(node, "messenger", "page-1");
        var feed = await ReceiveAsync(page, """
            {"object":"page","entry":[{"id":"page-1","changes":[
              {"field":"feed","value":{"item":"comment","verb":"add","post_id":"post-1","parent_id":"post-1","comment_id":"c-1","message":"Does it come in blue?","from":{"id":"fb-ann","name":"Ann"},"created_time":NOW_S}},
              {"field":"feed","value":{"item":"comment","verb":"add","post_id":"post-1","parent_id":"post-1","comment_id":"c-2","message":"And in red?","from":{"id":"fb-bob","name":"Bob"},"created_time":NOW_S}}]}]}
            """);
        var instagram = await ChannelAsync(node, "instagram", "ig-1");
        var media = await ReceiveAsync(instagram, """
            {"object":"instagram","entry":[{"id":"ig-1","changes":[
              {"field":"comments","value":{"id":"ig-c-1","text":"Love this","from":{"id":"ig-ann","username":"ann"},"media":{"id":"media-7"}}}]}]}
            """);

        Assert.Equal("sent", (await ReplyAsync(page, Assert.Single(feed), "Both, next week!")).Status);
        Assert.Equal("sent", (await ReplyAsync(instagram, Assert.Single(media), "Thank you!")).Status);
        var calls = api.Calls.ToList();
        Assert.Equal(["/meta/c-2/comments", "/meta/ig-c-1/replies"], calls.Select(c => c.Path));
        Assert.Equal(["Both, next week!", "Thank you!"], calls.Select(c => Text(c.Body, "message")));
    }

    [Fact]
    public async Task Taken_private_from_a_facebook_comment_the_public_reply_goes_under_it_and_the_first_private_one_by_it()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var page = await ChannelAsync(node, "messenger", "page-1");
        var thread = Assert.Single(await ReceiveAsync(page, """
            {"object":"page","entry":[{"id":"page-1","changes":[
              {"field":"feed","value":{"item":"comment","verb":"add","post_id":"post-1","parent_id":"post-1","comment_id":"c-1","message":"My order never came","from":{"id":"fb-ann","name":"Ann"},"created_time":NOW_S}},
              {"field":"feed","value":{"item":"comment","verb":"add","post_id":"post-1","parent_id":"post-1","comment_id":"c-2","message":"Nice post","from":{"id":"fb-bob","name":"Bob"},"created_time":NOW_S}}]}]}
            """));
        using var admin = page.Admin();
        var messages = await admin.GetJson(page.Path($"conversations/{thread}/messages"));
        var annsComment = messages.Body!["items"]!.AsArray().Single(m => m!["text"]!.GetValue<string>() == "My order never came")!["id"]!.GetValue<string>();

        var taken = await admin.PostJson(page.Path($"conversations/{thread}/take-private"),
            new { messageId = annsComment, publicReply = "Sorry Ann, we sent you a message." });
        Assert.True(taken.Status == HttpStatusCode.Created, taken.Raw);
        var privateConversation = taken.Str("privateConversationId");
        Assert.Equal("sent", (await ReplyAsync(page, privateConversation, "Could you send your order number?")).Status);
        Assert.Equal("sent", (await ReplyAsync(page, privateConversation, "Or your email address?")).Status);

        var calls = await api.CallsAsync(3);
        var publicReply = Assert.Single(calls, c => c.Path == "/meta/c-1/comments");
        Assert.Equal("Sorry Ann, we sent you a message.", Text(publicReply.Body, "message"));
        var privateReplies = calls.Where(c => c.Path == "/meta/me/messages").ToList();
        Assert.Equal(3, calls.Count);
        // Meta takes one reply by the comment, and names the customer's Messenger id in its answer: the next one goes there.
        Assert.Equal(("c-1", "Could you send your order number?"), (Text(privateReplies[0].Body, "recipient.comment_id"), Text(privateReplies[0].Body, "message.text")));
        Assert.Equal(("psid-of-c-1", "Or your email address?"), (Text(privateReplies[1].Body, "recipient.id"), Text(privateReplies[1].Body, "message.text")));

        // When Ann answers on Messenger, it is the same customer, in the same private conversation.
        var after = await ReceiveAsync(page, """
            {"object":"page","entry":[{"id":"page-1","messaging":[
              {"sender":{"id":"psid-of-c-1"},"recipient":{"id":"page-1"},"timestamp":NOW_MS,"message":{"mid":"m_7","text":"It is 4711"}}]}]}
            """);
        Assert.Equal(2, after.Count);
        Assert.Contains(privateConversation, after);
    }

    [Fact]
    public async Task An_x_reply_is_a_direct_message_in_private_and_a_reply_tweet_in_public()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "x", "acct-1", accessToken: "user-token-1");
        await ReceiveAsync(channel, """
            {"for_user_id":"acct-1",
             "direct_message_events":[{"type":"message_create","id":"dm-1","created_timestamp":"NOW_MS","message_create":{"target":{"recipient_id":"acct-1"},"sender_id":"x-ann","message_data":{"text":"My parcel is late"}}}],
             "tweet_create_events":[{"id_str":"t-2","text":"@brand still waiting","in_reply_to_status_id_str":"t-1","timestamp_ms":"NOW_MS","user":{"id_str":"x-bob","name":"Bob"}}]}
            """);
        using var admin = channel.Admin();
        var inbox = (await admin.GetJson(channel.Path("conversations"))).Body!["items"]!.AsArray();
        string Of(string visibility) => inbox.Single(c => c!["visibility"]!.GetValue<string>() == visibility)!["id"]!.GetValue<string>();

        var dm = await ReplyAsync(channel, Of("private"), "Sorry, checking now.");
        var tweet = await ReplyAsync(channel, Of("public"), "We are on it.");
        Assert.Equal(("sent", "out-1", "sent", "out-2"), (dm.Status, dm.ExternalId, tweet.Status, tweet.ExternalId));
        var calls = api.Calls.ToList();
        Assert.Equal(["/x/2/dm_conversations/with/x-ann/messages", "/x/2/tweets"], calls.Select(c => c.Path));
        Assert.All(calls, c => Assert.Equal("Bearer user-token-1", c.Authorization));
        Assert.Equal("Sorry, checking now.", Text(calls[0].Body, "text"));
        Assert.Equal(("We are on it.", "t-2"), (Text(calls[1].Body, "text"), Text(calls[1].Body, "reply.in_reply_to_tweet_id")));

        // Bob answering the brand's reply tweet goes on in the same public conversation.
        var after = await ReceiveAsync(channel, """
            {"for_user_id":"acct-1","tweet_create_events":[{"id_str":"t-3","text":"@brand thanks","in_reply_to_status_id_str":"out-2","timestamp_ms":"NOW_MS","user":{"id_str":"x-bob","name":"Bob"}}]}
            """);
        Assert.Equal(2, after.Count);
        var thread = await admin.GetJson(channel.Path($"conversations/{Of("public")}/messages"));
        Assert.Equal(["@brand still waiting", "We are on it.", "@brand thanks"],
            thread.Body!["items"]!.AsArray().Where(m => m!["text"] is not null).Select(m => m!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Comments_on_a_post_made_through_the_service_join_its_broadcast_on_facebook_and_x()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        foreach (var (platform, comment) in new[]
        {
            ("messenger", """
                {"object":"page","entry":[{"id":"acct-1","changes":[
                  {"field":"feed","value":{"item":"comment","verb":"add","post_id":"POST_ID","parent_id":"POST_ID","comment_id":"c-1","message":"Count me in","from":{"id":"fb-ann","name":"Ann"},"created_time":NOW_S}}]}]}
                """),
            ("x", """
                {"for_user_id":"acct-1","tweet_create_events":[{"id_str":"t-9","text":"@brand count me in","in_reply_to_status_id_str":"POST_ID","timestamp_ms":"NOW_MS","user":{"id_str":"x-ann","name":"Ann"}}]}
                """),
        })
        {
            var channel = await ChannelAsync(node, platform, "acct-1");
            using var admin = channel.Admin();
            var post = await admin.PostJson(channel.Path($"channels/{channel.ChannelId}/posts"), new { text = "Our winter sale starts today", purpose = "marketing" });
            Assert.True(post.Status == HttpStatusCode.Created, post.Raw);
            var broadcast = post.Str("conversationId");
            var (status, postId) = await DeliveryAsync(channel, broadcast, seq: 1);
            Assert.Equal("sent", status);
            Assert.NotNull(postId);
            // A word from the brand under its own post goes under the platform's post, not under an id of ours.
            Assert.Equal("sent", (await ReplyAsync(channel, broadcast, "Ask us anything below")).Status);

            var conversations = await ReceiveAsync(channel, comment.Replace("POST_ID", postId));
            Assert.Equal([broadcast], conversations);
            var messages = await admin.GetJson(channel.Path($"conversations/{broadcast}/messages"));
            Assert.Equal(["Our winter sale starts today", "Ask us anything below", platform == "x" ? "@brand count me in" : "Count me in"],
                messages.Body!["items"]!.AsArray().Where(m => m!["text"] is not null).Select(m => m!["text"]!.GetValue<string>()));
        }
        var calls = api.Calls.ToList();
        Assert.Equal(["/meta/acct-1/feed", "/meta/out-1/comments", "/x/2/tweets", "/x/2/tweets"], calls.Select(c => c.Path));
        Assert.Null(calls[2].Body!["reply"]);
        Assert.Equal("out-3", Text(calls[3].Body, "reply.in_reply_to_tweet_id"));
    }

    [Fact]
    public async Task A_refused_token_fails_the_reply_at_once_while_throttling_is_retried_until_sent()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "messenger", "page-1");
        var conversation = Assert.Single(await ReceiveAsync(channel, """
            {"object":"page","entry":[{"id":"page-1","messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"page-1"},"timestamp":NOW_MS,"message":{"mid":"m_1","text":"Hello?"}}]}]}
            """));

        api.AnswerNext((400, """{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}"""));
        Assert.Equal("failed", (await ReplyAsync(channel, conversation, "First try", expectedStatus: "failed")).Status);
        Assert.Single(api.Calls);

        api.AnswerNext((429, "{}"), (400, """{"error":{"code":613,"message":"Calls to this api have exceeded the rate limit."}}"""));
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Second try")).Status);
        // Taken is taken, whatever the answer's body: never sent twice.
        api.AnswerNext((200, "[]"));
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Third try")).Status);
        var calls = await api.CallsAsync(5);
        Assert.Equal(["First try", "Second try", "Second try", "Second try", "Third try"], calls.Select(c => Text(c.Body, "message.text")));
    }

    [Fact]
    public async Task An_admin_rotates_a_channels_secrets_and_the_next_reply_and_webhook_use_the_new_ones()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "messenger", "page-1", accessToken: "token-before");
        const string dm = """
            {"object":"page","entry":[{"id":"page-1","messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"page-1"},"timestamp":NOW_MS,"message":{"mid":"MID","text":"Hello"}}]}]}
            """;
        var conversation = Assert.Single(await ReceiveAsync(channel, dm.Replace("MID", "m_1")));
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Before")).Status);

        using var admin = channel.Admin();
        var secretsPath = channel.Path($"channels/{channel.ChannelId}/secrets");
        var rotated = await admin.PatchJson(secretsPath, new { accessToken = "token-after", appSecret = "app-secret-after" });
        Assert.True(rotated.Status == HttpStatusCode.OK, rotated.Raw);
        Assert.Equal(["appSecret", "accessToken"], rotated.Body!["configuredSecrets"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.DoesNotContain("after", rotated.Raw);
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "After")).Status);
        Assert.Equal(["Bearer token-before", "Bearer token-after"], api.Calls.Select(c => c.Authorization));

        // Webhooks are checked against the new app secret at once (ReceiveAsync asserts their 200).
        await ReceiveAsync(channel with { Secret = "app-secret-after" }, dm.Replace("MID", "m_2"));

        // Removing with "", nothing to change, and an unknown channel.
        var removed = await admin.PatchJson(secretsPath, new { appSecret = "" });
        Assert.Equal(["accessToken"], removed.Body!["configuredSecrets"]!.AsArray().Select(s => s!.GetValue<string>()));
        (await admin.PatchJson(secretsPath, new { })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PatchJson(channel.Path("channels/nope/secrets"), new { accessToken = "x" })).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_channel_without_an_access_token_fails_its_replies_without_calling_the_platform()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await ChannelAsync(node, "instagram", "ig-1", accessToken: null);
        var conversation = Assert.Single(await ReceiveAsync(channel, """
            {"object":"instagram","entry":[{"id":"ig-1","messaging":[
              {"sender":{"id":"igsid-ann"},"recipient":{"id":"ig-1"},"timestamp":NOW_MS,"message":{"mid":"m_1","text":"Hi"}}]}]}
            """));

        Assert.Equal("failed", (await ReplyAsync(channel, conversation, "Hello!", expectedStatus: "failed")).Status);
        Assert.Empty(api.Calls);
    }

    [Fact]
    public async Task An_expired_x_token_is_refreshed_before_the_reply_goes_out_and_the_new_pair_is_kept()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await XChannelAsync(node, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-3));
        using var admin = channel.Admin();
        var shown = await admin.GetJson(channel.Path($"channels/{channel.ChannelId}"));
        Assert.Equal(["accessToken", "consumerSecret", "refreshToken", "clientId", "clientSecret"],
            shown.Body!["configuredSecrets"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.DoesNotContain("client-secret-1", shown.Raw);
        Assert.DoesNotContain("refresh-1", shown.Raw);
        var conversation = Assert.Single(await ReceiveAsync(channel, AnnWritesOnX));

        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Sorry, checking now.")).Status);
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "It left the depot.")).Status);
        var calls = api.Calls.ToList();
        Assert.Equal([FakePlatformApi.XTokenPath, "/x/2/dm_conversations/with/x-ann/messages", "/x/2/dm_conversations/with/x-ann/messages"],
            calls.Select(c => c.Path));
        var refresh = calls[0];
        Assert.Equal(("refresh_token", "refresh-1", "client-1"), (Text(refresh.Body, "grant_type"), Text(refresh.Body, "refresh_token"), Text(refresh.Body, "client_id")));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-1:client-secret-1")), refresh.Authorization);
        // The new token is used, and kept: the second reply needs no refresh.
        Assert.Equal(["Bearer new-access-1", "Bearer new-access-1"], calls.Skip(1).Select(c => c.Authorization));
        var after = await admin.GetJson(channel.Path($"channels/{channel.ChannelId}"));
        Assert.Equal("ok", after.Body!["health"]!["state"]!.GetValue<string>());
        Assert.True(after.Body!["accessTokenExpiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(100));
    }

    [Fact]
    public async Task A_rejected_x_token_is_refreshed_once_and_the_reply_retried_once_with_the_rotated_pair()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await XChannelAsync(node, expiresAt: DateTimeOffset.UtcNow.AddHours(2));
        var conversation = Assert.Single(await ReceiveAsync(channel, AnnWritesOnX));

        // X revoked the token early: refreshed once, sent again once.
        api.AnswerNext(FakePlatformApi.XUnauthorized);
        Assert.Equal("sent", (await ReplyAsync(channel, conversation, "Sorry, checking now.")).Status);
        var calls = api.Calls.ToList();
        Assert.Equal(["/x/2/dm_conversations/with/x-ann/messages", FakePlatformApi.XTokenPath, "/x/2/dm_conversations/with/x-ann/messages"],
            calls.Select(c => c.Path));
        Assert.Equal(("Bearer old-access", "refresh-1", "Bearer new-access-2"), (calls[0].Authorization, Text(calls[1].Body, "refresh_token"), calls[2].Authorization));

        // Rejected again right after a refresh: the new refresh token is the one used, once, and the reply fails rather than loop.
        api.AnswerNext(FakePlatformApi.XUnauthorized, (200, """{"token_type":"bearer","expires_in":7200,"access_token":"newer-access","refresh_token":"newer-refresh"}"""),
            FakePlatformApi.XUnauthorized);
        Assert.Equal("failed", (await ReplyAsync(channel, conversation, "Still on it.", expectedStatus: "failed")).Status);
        calls = (await api.CallsAsync(6)).Skip(3).ToList();
        Assert.Equal(["/x/2/dm_conversations/with/x-ann/messages", FakePlatformApi.XTokenPath, "/x/2/dm_conversations/with/x-ann/messages"],
            calls.Select(c => c.Path));
        Assert.Equal(("Bearer new-access-2", "new-refresh-2", "Bearer newer-access"), (calls[0].Authorization, Text(calls[1].Body, "refresh_token"), calls[2].Authorization));
    }

    [Fact]
    public async Task A_failed_x_refresh_shows_on_the_channel_and_in_ready_health_until_an_admin_gives_new_tokens()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await XChannelAsync(node, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-3));
        var conversation = Assert.Single(await ReceiveAsync(channel, AnnWritesOnX));
        using var admin = channel.Admin();
        using var probe = node.Client();

        api.AnswerNext(FakePlatformApi.XRefreshRefused, FakePlatformApi.XUnauthorized);
        Assert.Equal("failed", (await ReplyAsync(channel, conversation, "Sorry, checking now.", expectedStatus: "failed")).Status);
        Assert.Equal([FakePlatformApi.XTokenPath, "/x/2/dm_conversations/with/x-ann/messages"], (await api.CallsAsync(2)).Select(c => c.Path));

        var shown = await admin.GetJson(channel.Path($"channels/{channel.ChannelId}"));
        var health = shown.Body!["health"]!;
        Assert.Equal("refresh-failed", health["state"]!.GetValue<string>());
        Assert.True(health["since"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Contains("400", health["detail"]!.GetValue<string>());
        // Still ready (the node serves every other channel), but the operator sees which channel needs them, and no secret.
        using var anonymousRequest = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        anonymousRequest.Headers.Accept.ParseAdd("application/json");
        using var anonymousResponse = await probe.SendAsync(anonymousRequest, TestContext.Current.CancellationToken);
        var anonymousReady = await Reply.ReadAsync(anonymousResponse);
        Assert.Equal("Degraded", anonymousReady.Str("status"));
        Assert.DoesNotContain(channel.BrandId, anonymousReady.Raw);   // which brands have trouble is the operator's to know
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Authorization = new("Bearer", ServiceHost.BootstrapSecret);
        using var response = await probe.SendAsync(request, TestContext.Current.CancellationToken);
        var ready = await Reply.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Degraded", ready.Str("status"));
        var listed = ready.Body!["checks"]!["channels"]!["data"]!["channels"]!.AsArray().Single(c => c!["channelId"]!.GetValue<string>() == channel.ChannelId)!;
        Assert.Equal((channel.BrandId, "x", "refresh-failed"),
            (listed["brandId"]!.GetValue<string>(), listed["platform"]!.GetValue<string>(), listed["state"]!.GetValue<string>()));
        foreach (var secret in new[] { "old-access", "refresh-1", "client-secret-1", channel.Secret }) Assert.DoesNotContain(secret, ready.Raw);
        Assert.Equal("Degraded", (await probe.GetStringAsync("/health/ready", TestContext.Current.CancellationToken)));

        // An admin gives fresh tokens: the channel is healthy again, and no longer listed.
        var patched = await admin.PatchJson(channel.Path($"channels/{channel.ChannelId}/secrets"),
            new { accessToken = "hand-made-access", refreshToken = "hand-made-refresh", expiresIn = 7200 });
        Assert.True(patched.Status == HttpStatusCode.OK, patched.Raw);
        Assert.Equal("ok", patched.Body!["health"]!["state"]!.GetValue<string>());
        Assert.Equal("Healthy", (await probe.GetStringAsync("/health/ready", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_rejected_token_with_nothing_to_refresh_it_shows_the_channel_as_token_expired()
    {
        await using var api = await FakePlatformApi.StartAsync();
        await using var node = await backend.StartNodeAsync(api.Configure(await backend.NewStorageAsync()));
        var channel = await XChannelAsync(node, expiresAt: DateTimeOffset.UtcNow.AddHours(1), refreshToken: null);
        var conversation = Assert.Single(await ReceiveAsync(channel, AnnWritesOnX));

        api.AnswerNext(FakePlatformApi.XUnauthorized);
        Assert.Equal("failed", (await ReplyAsync(channel, conversation, "Sorry, checking now.", expectedStatus: "failed")).Status);
        Assert.Single(api.Calls);
        using var admin = channel.Admin();
        var health = (await admin.GetJson(channel.Path($"channels/{channel.ChannelId}"))).Body!["health"]!;
        Assert.Equal("token-expired", health["state"]!.GetValue<string>());
    }
}

[Trait("Backend", "sqlite")]
public sealed class PlatformRepliesOnSqlite(SqliteBackend backend) : PlatformReplyScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class PlatformRepliesOnPostgres(PostgresBackend backend) : PlatformReplyScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
