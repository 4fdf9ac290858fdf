using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Replies leave from the durable log: retried with backoff until the platform takes them, marked
/// sent or failed on the message, and still sent after a restart that happened before they could be.
/// </summary>
public abstract class OutboundScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private static Dictionary<string, string?> WithEndpoint(Dictionary<string, string?> storage, FakeWebChatEndpoint endpoint, int maxAttempts = 20) =>
        new(storage)
        {
            ["Platforms:WebChat:DeliveryUrl"] = endpoint.Url,
            ["Outbound:InitialBackoffMs"] = "50",
            ["Outbound:MaxBackoffMs"] = "200",
            ["Outbound:MaxAttempts"] = maxAttempts.ToString(),
            ["Outbound:SweepIntervalMs"] = "200",
            ["Outbound:SweepAfterMs"] = "100",
        };

    [Fact]
    public async Task A_reply_is_retried_after_a_failing_platform_and_marked_sent()
    {
        await using var endpoint = await FakeWebChatEndpoint.StartAsync();
        await using var node = await backend.StartNodeAsync(WithEndpoint(await backend.NewStorageAsync(), endpoint));
        var setup = await node.NewBrandWithChannelAsync();
        endpoint.Secret = "app-secret-" + setup.ChannelId;
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        var path = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");

        endpoint.FailNext(3);
        var reply = await admin.PostJson(path, new { text = "First answer", purpose = "service" });
        var second = await admin.PostJson(path, new { text = "Second answer", purpose = "service" });
        Assert.Equal("sent", await DeliveryStatusAsync(admin, path, reply.Long("seq"), "sent"));
        Assert.Equal("sent", await DeliveryStatusAsync(admin, path, second.Long("seq"), "sent"));
        Assert.True(endpoint.Attempts >= 5, $"{endpoint.Attempts} attempts");
        // Order holds: a retried reply holds back the next one of its conversation.
        Assert.Equal(["First answer", "Second answer"], endpoint.Delivered.Select(d => d["text"]!.GetValue<string>()));
        Assert.Equal(reply.Str("messageId"), endpoint.Delivered.First()["messageId"]!.GetValue<string>());
        Assert.Null((await admin.GetJson(path)).Body!["items"]![0]!["deliveryStatus"]);
    }

    [Fact]
    public async Task A_reply_the_platform_never_takes_is_marked_failed()
    {
        await using var endpoint = await FakeWebChatEndpoint.StartAsync();
        await using var node = await backend.StartNodeAsync(WithEndpoint(await backend.NewStorageAsync(), endpoint, maxAttempts: 3));
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        var path = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");
        endpoint.FailNext(int.MaxValue);
        var reply = await admin.PostJson(path, new { text = "Anyone there?", purpose = "service" });
        Assert.Equal("failed", await DeliveryStatusAsync(admin, path, reply.Long("seq"), "failed"));
        Assert.Equal(3, endpoint.Attempts);
    }

    [Fact]
    public async Task A_reply_accepted_just_before_a_restart_is_still_sent_after_it()
    {
        await using var endpoint = await FakeWebChatEndpoint.StartAsync();
        var storage = WithEndpoint(await backend.NewStorageAsync(), endpoint);
        BrandSetup setup;
        string path;
        long seq;
        endpoint.FailNext(int.MaxValue);
        await using (var node = await backend.StartNodeAsync(storage))
        {
            setup = await node.NewBrandWithChannelAsync();
            using var admin = setup.Admin();
            var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
            path = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");
            var reply = await admin.PostJson(path, new { text = "Sent across a restart", purpose = "service" });
            Assert.Equal(HttpStatusCode.Created, reply.Status);
            seq = reply.Long("seq");
        }
        Assert.Empty(endpoint.Delivered);

        endpoint.FailNext(0);
        await using (var node = await backend.StartNodeAsync(storage))
        {
            setup = setup with { Node = node };
            using var admin = setup.Admin();
            Assert.Equal("sent", await DeliveryStatusAsync(admin, path, seq, "sent"));
            // At least once: a send whose answer was lost may be repeated, always as the same message (its id dedupes).
            Assert.NotEmpty(endpoint.Delivered);
            Assert.All(endpoint.Delivered, d => Assert.Equal("Sent across a restart", d["text"]!.GetValue<string>()));
            Assert.Single(endpoint.Delivered.Select(d => d["messageId"]!.GetValue<string>()).Distinct());
        }
    }

    /// <summary>Polls the message until its delivery status is the expected one (or 20 s pass).</summary>
    private static async Task<string?> DeliveryStatusAsync(HttpClient client, string path, long seq, string expected)
    {
        string? status = null;
        for (var attempt = 0; attempt < 200 && status != expected; attempt++)
        {
            var page = await client.GetJson($"{path}?afterSeq={seq - 1}&limit=1");
            status = page.Body!["items"]![0]!["deliveryStatus"]?.GetValue<string>();
            if (status != expected) await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        return status;
    }
}

[Trait("Backend", "sqlite")]
public sealed class OutboundOnSqlite(SqliteBackend backend) : OutboundScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class OutboundOnPostgres(PostgresBackend backend) : OutboundScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class OutboundOnSqlServer(SqlServerBackend backend) : OutboundScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
