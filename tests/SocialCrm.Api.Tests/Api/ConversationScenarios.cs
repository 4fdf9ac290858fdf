using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>The unified inbox, a conversation's messages, agent replies and customer profiles.</summary>
public abstract class ConversationScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task The_inbox_lists_newest_activity_first_and_pages_with_a_cursor()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var conversations = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var accepted = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", $"u-{i}", "hi"));
            conversations.Add(accepted.Str("conversationId"));
            await Task.Delay(5, TestContext.Current.CancellationToken); // distinct activity times
        }
        // The first customer writes again: their conversation moves to the top.
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-again", "u-0", "still there?"));
        var expected = new[] { conversations[0], conversations[4], conversations[3], conversations[2], conversations[1] };

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await admin.GetJson(setup.Path("conversations?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var items = page.Body!["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            cursor = page.Body!["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task The_inbox_filters_by_channel_visibility_customer_and_status()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var otherChannel = await Node.NewChannelAsync(setup.BrandId, setup.AdminKey);
        using var admin = setup.Admin();
        var ann = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "private"));
        var thread = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "bob", "public", "public", "post-9"));
        var elsewhere = await admin.PostJson($"/v1/brands/{setup.BrandId}/channels/{otherChannel}/inbound", BrandSetup.Inbound("m-2", "cy", "other channel"));

        async Task<List<string>> Ids(string query) =>
            (await admin.GetJson(setup.Path("conversations?" + query))).Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

        Assert.Equal([elsewhere.Str("conversationId")], await Ids("channelId=" + otherChannel));
        Assert.Equal([thread.Str("conversationId")], await Ids("visibility=public"));
        Assert.Equal([ann.Str("conversationId")], await Ids("customerId=" + ann.Str("customerId")));
        Assert.Equal(3, (await Ids("status=open")).Count);
        Assert.Empty(await Ids("status=resolved"));
        Assert.Empty(await Ids("assignee=agent-7"));
        (await admin.GetJson(setup.Path("conversations?status=closed"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.GetJson(setup.Path("conversations?limit=0"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.GetJson(setup.Path("conversations?cursor=%%%"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Messages_page_in_seq_order_after_a_given_seq()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        string conversationId = "";
        for (var i = 1; i <= 7; i++)
            conversationId = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", "u-1", $"text {i}"))).Str("conversationId");

        var seqs = new List<long>();
        long? after = 0;
        while (after is not null)
        {
            var page = await admin.GetJson(setup.Path($"conversations/{conversationId}/messages?afterSeq={after}&limit=3"));
            seqs.AddRange(page.Body!["items"]!.AsArray().Select(i => i!["seq"]!.GetValue<long>()));
            after = page.Body!["nextAfterSeq"]?.GetValue<long>();
        }
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], seqs);

        var conversation = await admin.GetJson(setup.Path($"conversations/{conversationId}"));
        Assert.Equal(7, conversation.Long("messageCount"));
        Assert.Equal("human", conversation.Str("controller"));
        Assert.Equal("open", conversation.Str("status"));
    }

    [Fact]
    public async Task An_agent_replies_and_a_retried_reply_with_the_same_client_message_id_is_stored_once()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "ann-agent");
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Where is my order?"));
        var path = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");

        using var agent = Node.Client(agentKey);
        var reply = await agent.PostJson(path, new { text = "It ships today.", purpose = "service", clientMessageId = "r-1" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(2, reply.Long("seq"));
        var retried = await agent.PostJson(path, new { text = "It ships today.", purpose = "service", clientMessageId = "r-1" });
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(reply.Str("messageId"), retried.Str("messageId"));

        var messages = (await agent.GetJson(path)).Body!["items"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("agent", messages[1]!["authorType"]!.GetValue<string>());
        Assert.Equal("ann-agent", messages[1]!["authorId"]!.GetValue<string>());
        Assert.Equal("private", messages[1]!["visibility"]!.GetValue<string>());

        (await agent.PostJson(path, new { text = "", purpose = "bribery" })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await agent.PostJson(setup.Path("conversations/cv_nope/messages"), new { text = "hi", purpose = "service" })).AssertProblem(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(2, (await agent.GetJson(path)).Body!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_customer_profile_shows_identities_and_conversations()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var privateMessage = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann-42", "hello"));
        var comment = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann-42", "nice post", "public", "post-1"));
        var customerId = privateMessage.Str("customerId");
        Assert.Equal(customerId, comment.Str("customerId"));

        var profile = await admin.GetJson(setup.Path("customers/" + customerId));
        Assert.Equal(HttpStatusCode.OK, profile.Status);
        Assert.Equal("User ann-42", profile.Str("displayName"));
        var identity = Assert.Single(profile.Body!["identities"]!.AsArray());
        Assert.Equal("webchat", identity!["platform"]!.GetValue<string>());
        Assert.Equal("ann-42", identity["externalUserId"]!.GetValue<string>());
        Assert.Equal(
            new[] { privateMessage.Str("conversationId"), comment.Str("conversationId") }.Order(),
            profile.Body!["conversationIds"]!.AsArray().Select(c => c!.GetValue<string>()).Order());
        (await admin.GetJson(setup.Path("customers/cu_nobody"))).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Channels_keep_their_secrets_to_themselves()
    {
        var (brandId, adminKey) = await Node.NewBrandAsync();
        using var admin = Node.Client(adminKey);
        var created = await admin.PostJson($"/v1/brands/{brandId}/channels", new
        {
            id = "fb-main", platform = "messenger", externalAccountId = "page-1", displayName = "Main page",
            secrets = new { appSecret = "very-secret-app", verifyToken = "very-secret-verify", accessToken = "very-secret-token" },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var one = await admin.GetJson($"/v1/brands/{brandId}/channels/fb-main");
        var all = await admin.GetJson($"/v1/brands/{brandId}/channels");
        foreach (var reply in new[] { created, one, all }) Assert.DoesNotContain("very-secret", reply.Raw);
        Assert.Equal("messenger", one.Str("platform"));
        Assert.Single(all.Body!.AsArray());
        (await admin.PostJson($"/v1/brands/{brandId}/channels", new { id = "fb-main", platform = "messenger", externalAccountId = "p" }))
            .AssertProblem(HttpStatusCode.Conflict, "conflict");
        var bad = (await admin.PostJson($"/v1/brands/{brandId}/channels", new { id = "x", platform = "myspace", externalAccountId = "" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(bad.Body!["errors"]!["platform"]);
        Assert.NotNull(bad.Body!["errors"]!["externalAccountId"]);
        (await admin.GetJson($"/v1/brands/{brandId}/channels/missing")).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }
}

[Trait("Backend", "sqlite")]
public sealed class ConversationsOnSqlite(SqliteBackend backend) : ConversationScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class ConversationsOnPostgres(PostgresBackend backend) : ConversationScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class ConversationsOnSqlServer(SqlServerBackend backend) : ConversationScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
