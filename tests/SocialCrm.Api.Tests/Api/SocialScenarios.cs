using System.Net;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// What makes the CRM social: posts and their public threads, taking a complaint private, publishing
/// private words only with consent, and the bot/human switchboard with assignment and status.
/// </summary>
public abstract class SocialScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task A_post_is_a_broadcast_whose_comments_form_a_public_thread_of_every_commenter()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "sam");
        using var agent = Node.Client(agentKey);
        var post = await agent.PostJson(setup.Path($"channels/{setup.ChannelId}/posts"), new { text = "Our new blender is out!", purpose = "marketing" });
        Assert.Equal(HttpStatusCode.Created, post.Status);
        var threadId = post.Str("externalThreadId");

        using var admin = setup.Admin();
        var ann = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann", "Does it crush ice?", "public", threadId));
        var bob = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-2", "bob", "It does, mine does daily", "public", threadId, inReplyTo: "c-1"));
        Assert.Equal(post.Str("conversationId"), ann.Str("conversationId"));
        Assert.Equal(post.Str("conversationId"), bob.Str("conversationId"));

        var conversation = await agent.GetJson(setup.Path("conversations/" + post.Str("conversationId")));
        Assert.Equal("broadcast", conversation.Str("kind"));
        Assert.Equal("public", conversation.Str("visibility"));
        Assert.Equal(threadId, conversation.Str("externalThreadId"));
        Assert.Equal([ann.Str("customerId"), bob.Str("customerId")], conversation.Body!["customerIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        var messages = (await agent.GetJson(setup.Path($"conversations/{post.Str("conversationId")}/messages"))).Body!["items"]!.AsArray();
        Assert.Equal(["agent", "customer", "customer"], messages.Select(m => m!["authorType"]!.GetValue<string>()));
        Assert.Equal("sam", messages[0]!["authorId"]!.GetValue<string>());
        Assert.Equal("c-1", messages[2]!["inReplyToExternalMessageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Taking_a_complaint_private_links_both_threads_and_the_next_direct_message_lands_there()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var complaint = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann", "My order never came!!", "public", "post-7"));
        var publicId = complaint.Str("conversationId");

        var taken = await admin.PostJson(setup.Path($"conversations/{publicId}/take-private"),
            new { messageId = complaint.Str("messageId"), publicReply = "Sorry Ann, we sent you a private message." });
        Assert.Equal(HttpStatusCode.Created, taken.Status);
        var privateId = taken.Str("privateConversationId");
        var again = await admin.PostJson(setup.Path($"conversations/{publicId}/take-private"), new { });
        Assert.Equal(privateId, again.Str("privateConversationId"));

        var publicThread = await admin.GetJson(setup.Path("conversations/" + publicId));
        var privateThread = await admin.GetJson(setup.Path("conversations/" + privateId));
        Assert.Equal([privateId], publicThread.Body!["linkedConversationIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal([publicId], privateThread.Body!["linkedConversationIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("private", privateThread.Str("visibility"));
        Assert.Equal([complaint.Str("customerId")], privateThread.Body!["customerIds"]!.AsArray().Select(c => c!.GetValue<string>()));

        var publicMessages = (await admin.GetJson(setup.Path($"conversations/{publicId}/messages"))).Body!["items"]!.AsArray();
        var pointer = publicMessages.Single(m => m!["authorType"]!.GetValue<string>() == "agent")!;
        Assert.Equal("Sorry Ann, we sent you a private message.", pointer["text"]!.GetValue<string>());
        Assert.Equal("public", pointer["visibility"]!.GetValue<string>());

        var direct = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("d-1", "ann", "Order #123"));
        Assert.Equal(privateId, direct.Str("conversationId"));
        // An agent's reply in the private thread stays private.
        var reply = await admin.PostJson(setup.Path($"conversations/{privateId}/messages"), new { text = "Found it, it ships today.", purpose = "service" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var privateMessages = (await admin.GetJson(setup.Path($"conversations/{privateId}/messages"))).Body!["items"]!.AsArray();
        Assert.All(privateMessages, m => Assert.Equal("private", m!["visibility"]!.GetValue<string>()));
        (await admin.PostJson(setup.Path($"conversations/{privateId}/take-private"), new { })).AssertProblem((HttpStatusCode)422, "visibility");
    }

    [Fact]
    public async Task Publishing_private_words_needs_public_display_consent_and_writes_nothing_without_it()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var comment = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann", "Is it any good?", "public", "post-1"));
        var praise = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("d-1", "ann", "Best purchase of my year!"));
        var publicId = comment.Str("conversationId");
        var publish = setup.Path($"conversations/{praise.Str("conversationId")}/publish");
        var body = new { messageId = praise.Str("messageId"), targetConversationId = publicId };

        (await admin.PostJson(publish, body)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        Assert.Single((await admin.GetJson(setup.Path($"conversations/{publicId}/messages"))).Body!["items"]!.AsArray());

        var consent = await admin.PutJson(setup.Path($"customers/{praise.Str("customerId")}/consents/public_display"),
            new { status = "granted", lawfulBasis = "consent", source = "message", evidence = "d-2: 'sure, quote me'", policyVersion = "2026-01" });
        Assert.Equal(HttpStatusCode.OK, consent.Status);
        var published = await admin.PostJson(publish, body);
        Assert.Equal(HttpStatusCode.Created, published.Status);
        var quote = (await admin.GetJson(setup.Path($"conversations/{publicId}/messages"))).Body!["items"]!.AsArray()[^1]!;
        Assert.Equal("Best purchase of my year!", quote["text"]!.GetValue<string>());
        Assert.Equal("public", quote["visibility"]!.GetValue<string>());
        Assert.Equal(praise.Str("messageId"), quote["quotedMessageId"]!.GetValue<string>());

        await admin.PutJson(setup.Path($"customers/{praise.Str("customerId")}/consents/public_display"),
            new { status = "withdrawn", lawfulBasis = "consent", source = "agent" });
        (await admin.PostJson(publish, body)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        (await admin.PostJson(setup.Path($"conversations/{publicId}/publish"), new { messageId = praise.Str("messageId"), targetConversationId = praise.Str("conversationId") }))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task The_switchboard_gives_control_to_one_at_a_time_and_records_every_change()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var botKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "bot", "faq-bot");
        var otherBotKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "bot", "other-bot");
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "sam");
        using var admin = setup.Admin();
        using var bot = Node.Client(botKey);
        using var otherBot = Node.Client(otherBotKey);
        using var agent = Node.Client(agentKey);
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "What are your hours?"));
        var id = inbound.Str("conversationId");
        string Path(string rest) => setup.Path($"conversations/{id}/{rest}");
        var say = new { text = "hello", purpose = "service" };

        (await bot.PostJson(Path("messages"), say)).AssertProblem(HttpStatusCode.Conflict, "not-in-control");
        var passed = await agent.PostJson(Path("control"), new { action = "pass-to-bot", botId = "faq-bot" });
        Assert.Equal("bot:faq-bot", passed.Str("controller"));
        (await agent.PostJson(Path("messages"), say)).AssertProblem(HttpStatusCode.Conflict, "not-in-control");
        (await otherBot.PostJson(Path("messages"), say)).AssertProblem(HttpStatusCode.Conflict, "not-in-control");
        Assert.Equal(HttpStatusCode.Created, (await bot.PostJson(Path("messages"), new { text = "We open at 9.", purpose = "service" })).Status);
        (await bot.PostJson(Path("control"), new { action = "take" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await otherBot.PostJson(Path("control"), new { action = "pass-to-human" })).AssertProblem(HttpStatusCode.Conflict, "not-in-control");

        Assert.Equal("human", (await bot.PostJson(Path("control"), new { action = "pass-to-human" })).Str("controller"));
        (await bot.PostJson(Path("messages"), say)).AssertProblem(HttpStatusCode.Conflict, "not-in-control");
        Assert.Equal(HttpStatusCode.Created, (await agent.PostJson(Path("messages"), new { text = "Hi, Sam here.", purpose = "service" })).Status);
        await agent.PostJson(Path("control"), new { action = "pass-to-bot", botId = "faq-bot" });
        Assert.Equal("human", (await agent.PostJson(Path("control"), new { action = "take" })).Str("controller"));
        (await agent.PostJson(Path("control"), new { action = "pass-to-bot" })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await agent.PostJson(Path("control"), new { action = "dance" })).AssertProblem(HttpStatusCode.BadRequest, "validation");

        var history = (await agent.GetJson(Path("messages"))).Body!["items"]!.AsArray();
        var changes = history.Where(m => m!["event"]?["type"]?.GetValue<string>() == "control-changed")
            .Select(m => m!["event"]!["data"]!["to"]!.GetValue<string>()).ToList();
        Assert.Equal(["bot:faq-bot", "human", "bot:faq-bot", "human"], changes);
        Assert.Equal(3, (await agent.GetJson(setup.Path("conversations/" + id))).Long("messageCount"));
    }

    [Fact]
    public async Task Assignment_and_status_drive_the_inbox_and_a_customer_writing_again_reopens()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var first = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Hi"));
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "u-2", "Hello"));
        var id = first.Str("conversationId");

        var assigned = await admin.PostJson(setup.Path($"conversations/{id}/assign"), new { agentId = "sam" });
        Assert.Equal("sam", assigned.Str("assignee"));
        var resolved = await admin.PostJson(setup.Path($"conversations/{id}/status"), new { status = "resolved" });
        Assert.Equal("resolved", resolved.Str("status"));
        (await admin.PostJson(setup.Path($"conversations/{id}/status"), new { status = "closed" })).AssertProblem(HttpStatusCode.BadRequest, "validation");

        async Task<List<string>> Inbox(string query) =>
            (await admin.GetJson(setup.Path("conversations?" + query))).Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([id], await Inbox("assignee=sam"));
        Assert.Equal([id], await Inbox("status=resolved"));
        Assert.DoesNotContain(id, await Inbox("status=open"));

        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-3", "u-1", "One more thing"));
        Assert.Equal("open", (await admin.GetJson(setup.Path("conversations/" + id))).Str("status"));
        Assert.Contains(id, await Inbox("status=open"));
        var events = (await admin.GetJson(setup.Path($"conversations/{id}/messages"))).Body!["items"]!.AsArray()
            .Where(m => m!["event"] is not null).Select(m => m!["event"]!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["assignee-changed", "status-changed", "status-changed"], events);
    }
}

[Trait("Backend", "sqlite")]
public sealed class SocialOnSqlite(SqliteBackend backend) : SocialScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class SocialOnPostgres(PostgresBackend backend) : SocialScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class SocialOnSqlServer(SqlServerBackend backend) : SocialScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
