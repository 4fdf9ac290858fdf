using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>Inbound messages: acked once durable, deduplicated on the platform's message id, bad input stores nothing.</summary>
public abstract class InboundScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task An_inbound_message_is_accepted_and_lands_in_the_customers_private_conversation()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var first = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-42", "Where is my order?"));
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.False(first.Body!["duplicate"]!.GetValue<bool>());
        Assert.Equal(1, first.Long("seq"));

        var second = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "u-42", "Hello? Anyone?", threadId: "another-thread-id"));
        Assert.Equal(first.Str("conversationId"), second.Str("conversationId"));
        Assert.Equal(first.Str("customerId"), second.Str("customerId"));
        Assert.Equal(2, second.Long("seq"));

        var messages = await admin.GetJson(setup.Path($"conversations/{first.Str("conversationId")}/messages"));
        var items = messages.Body!["items"]!.AsArray();
        Assert.Equal(["Where is my order?", "Hello? Anyone?"], items.Select(i => i!["text"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal("customer", i!["authorType"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_same_external_message_id_again_is_a_duplicate_with_the_first_ids_and_is_stored_once()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var ingestKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "ingest");
        using var ingest = Node.Client(ingestKey);
        var first = await ingest.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "first words"));
        var again = await ingest.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "first words (retried webhook)"));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body!["duplicate"]!.GetValue<bool>());
        foreach (var field in new[] { "conversationId", "messageId", "customerId" }) Assert.Equal(first.Str(field), again.Str(field));
        Assert.Equal(first.Long("seq"), again.Long("seq"));

        using var admin = setup.Admin();
        var messages = await admin.GetJson(setup.Path($"conversations/{first.Str("conversationId")}/messages"));
        Assert.Single(messages.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Public_comments_of_two_customers_share_the_thread_and_private_messages_do_not()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var ann = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann", "Love it", "public", "post-1"));
        var bob = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-2", "bob", "Mine broke", "public", "post-1", inReplyTo: "c-1"));
        var annPrivate = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("d-1", "ann", "psst"));
        Assert.Equal(ann.Str("conversationId"), bob.Str("conversationId"));
        Assert.NotEqual(ann.Str("conversationId"), annPrivate.Str("conversationId"));

        var thread = await admin.GetJson(setup.Path($"conversations/{ann.Str("conversationId")}"));
        Assert.Equal("public", thread.Str("visibility"));
        Assert.Equal("post-1", thread.Str("externalThreadId"));
        var customers = thread.Body!["customerIds"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal([ann.Str("customerId"), bob.Str("customerId")], customers);
        var messages = await admin.GetJson(setup.Path($"conversations/{ann.Str("conversationId")}/messages"));
        Assert.Equal("c-1", messages.Body!["items"]![1]!["inReplyToExternalMessageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_names_each_bad_field_and_stores_nothing()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var missing = (await admin.PostJson(setup.InboundPath, new { text = "", thread = new { visibility = "secret" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        var errors = missing.Body!["errors"]!.AsObject();
        foreach (var field in new[] { "externalMessageId", "externalUserId", "text", "thread.visibility" }) Assert.True(errors.ContainsKey(field), field);

        (await admin.PostJson(setup.InboundPath, new { externalMessageId = "m", externalUserId = "u", text = "x", thread = new { visibility = "public" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PostRaw(setup.InboundPath, "{\"externalMessageId\": 12, ")).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PostRaw(setup.InboundPath, "{\"externalMessageId\": \"m\", \"externalUserId\": \"u\", \"text\": \"x\", \"timestamp\": \"yesterday\"}"))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");

        var inbox = await admin.GetJson(setup.Path("conversations"));
        Assert.Empty(inbox.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_stores_nothing()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var huge = new string('x', 300 * 1024);
        (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-big", "u-1", huge))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        var inbox = await admin.GetJson(setup.Path("conversations"));
        Assert.Empty(inbox.Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_channel_is_not_found()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        (await admin.PostJson(setup.Path("channels/nope/inbound"), BrandSetup.Inbound("m-1", "u-1", "hi"))).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Concurrent_messages_to_one_conversation_are_numbered_in_order_without_gaps()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        const int count = 40;
        var replies = await Task.WhenAll(Enumerable.Range(1, count)
            .Select(i => admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", "u-1", $"message {i}"))));
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.Accepted, r.Status));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), replies.Select(r => r.Long("seq")).Order());

        var conversationId = replies[0].Str("conversationId");
        var page = await admin.GetJson(setup.Path($"conversations/{conversationId}/messages?limit=200"));
        var items = page.Body!["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), items.Select(i => i!["seq"]!.GetValue<long>()));
        // Each acked message is stored under the seq its ack named.
        var bySeq = items.ToDictionary(i => i!["seq"]!.GetValue<long>(), i => i!["id"]!.GetValue<string>());
        Assert.All(replies, r => Assert.Equal(r.Str("messageId"), bySeq[r.Long("seq")]));
    }

    [Fact]
    public async Task Concurrent_messages_to_many_conversations_are_all_acked_and_all_stored()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        const int customers = 25, perCustomer = 8;
        var replies = await Task.WhenAll(Enumerable.Range(0, customers * perCustomer)
            .Select(i => admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", $"u-{i % customers}", $"text {i}"))));
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.Accepted, r.Status));

        var inbox = await admin.GetJson(setup.Path("conversations?limit=200"));
        var items = inbox.Body!["items"]!.AsArray();
        Assert.Equal(customers, items.Count);
        Assert.All(items, i => Assert.Equal(perCustomer, i!["messageCount"]!.GetValue<long>()));
        foreach (var group in replies.GroupBy(r => r.Str("conversationId")))
        {
            var page = await admin.GetJson(setup.Path($"conversations/{group.Key}/messages"));
            Assert.Equal(group.Select(r => r.Str("messageId")).Order(), page.Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order());
        }
    }

    [Fact]
    public async Task A_duplicate_is_recognised_after_a_restart_and_numbering_continues()
    {
        var storage = await backend.NewStorageAsync();
        string brandId, adminKey, channelId;
        Reply first;
        await using (var node = await backend.StartNodeAsync(storage))
        {
            var setup = await node.NewBrandWithChannelAsync();
            (brandId, adminKey, channelId) = (setup.BrandId, setup.AdminKey, setup.ChannelId);
            using var admin = setup.Admin();
            first = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "before the restart"));
            Assert.Equal(HttpStatusCode.Accepted, first.Status);
        }

        await using (var node = await backend.StartNodeAsync(storage))
        {
            var setup = new BrandSetup(node, brandId, adminKey, channelId);
            using var admin = setup.Admin();
            var again = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "before the restart"));
            Assert.Equal(HttpStatusCode.OK, again.Status);
            Assert.True(again.Body!["duplicate"]!.GetValue<bool>());
            Assert.Equal(first.Str("messageId"), again.Str("messageId"));
            var next = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "u-1", "after the restart"));
            Assert.Equal(2, next.Long("seq"));
            Assert.Equal(first.Str("conversationId"), next.Str("conversationId"));
        }
    }
}

[Trait("Backend", "sqlite")]
public sealed class InboundOnSqlite(SqliteBackend backend) : InboundScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class InboundOnPostgres(PostgresBackend backend) : InboundScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class InboundOnSqlServer(SqlServerBackend backend) : InboundScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
