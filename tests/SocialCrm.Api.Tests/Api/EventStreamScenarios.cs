using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// An agent console follows its brand live: new messages and assignments arrive as Server-Sent
/// Events within seconds, a dropped connection resumes where it stopped, and no other brand's
/// events ever show.
/// </summary>
public abstract class EventStreamScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task An_agent_sees_a_new_message_live_resumes_after_the_last_event_and_never_sees_another_brand()
    {
        var acme = await Node.NewBrandWithChannelAsync();
        var other = await Node.NewBrandWithChannelAsync();
        using var agent = Node.Client(await Node.NewKeyAsync(acme.BrandId, acme.AdminKey, "agent", "sam"));
        using var acmeAdmin = acme.Admin();
        using var otherAdmin = other.Admin();
        var events = acme.Path("events");

        await using var otherStream = await EventStream.OpenAsync(otherAdmin, other.Path("events"));
        var openedAt = DateTimeOffset.UtcNow;
        await using (var live = await EventStream.OpenAsync(agent, events))
        {
            Assert.Equal(HttpStatusCode.OK, live.Status);
            Assert.Equal("text/event-stream", live.ContentType);
            var inbound = await acmeAdmin.PostJson(acme.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my parcel?"));
            var ackedAt = DateTimeOffset.UtcNow;
            Assert.Equal(HttpStatusCode.Accepted, inbound.Status);

            var (created, _) = await live.WaitForAsync(e => e.Type == "message.created", Soon);
            var latency = created.ReceivedAt - ackedAt;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{backend.Name}: SSE event {latency.TotalMilliseconds:F0} ms after the inbound ack (stream opened {(ackedAt - openedAt).TotalMilliseconds:F0} ms before it)");
            Assert.Equal(inbound.Str("messageId"), created.Id);
            Assert.Equal(inbound.Str("messageId"), created.Data!["messageId"]!.GetValue<string>());
            Assert.Equal(inbound.Str("conversationId"), created.Data!["conversationId"]!.GetValue<string>());
            Assert.Equal(acme.ChannelId, created.Data!["channelId"]!.GetValue<string>());
            Assert.Equal("customer", created.Data!["authorType"]!.GetValue<string>());
            Assert.Equal("private", created.Data!["visibility"]!.GetValue<string>());
            Assert.DoesNotContain("parcel", created.RawData); // ids and kinds, never the text

            Assert.Equal(HttpStatusCode.OK, (await agent.PostJson(acme.Path($"conversations/{inbound.Str("conversationId")}/assign"), new { agentId = "sam" })).Status);
            var (assigned, _) = await live.WaitForAsync(e => e.Type == "conversation.assignee-changed", Soon);
            Assert.Equal("sam", assigned.Data!["to"]!.GetValue<string>());
            Assert.Equal(inbound.Str("conversationId"), assigned.Data!["conversationId"]!.GetValue<string>());
            Assert.True(string.CompareOrdinal(assigned.Id, created.Id) > 0, "event ids grow");

            // The console drops; meanwhile the customer writes again.
            await live.DisposeAsync();
            var later = await acmeAdmin.PostJson(acme.InboundPath, BrandSetup.Inbound("m-2", "ann", "Hello?"));

            await using var resumed = await EventStream.OpenAsync(agent, events, lastEventId: assigned.Id);
            Assert.Equal(HttpStatusCode.OK, resumed.Status);
            var (next, before) = await resumed.WaitForAsync(e => e.Type == "message.created", Soon);
            Assert.Equal(later.Str("messageId"), next.Id);
            Assert.Empty(before);
            Assert.Empty(await resumed.DrainAsync(TimeSpan.FromSeconds(2)));
        }

        // The other brand's stream stayed silent about acme, and does carry its own brand's events.
        var own = await otherAdmin.PostJson(other.InboundPath, BrandSetup.Inbound("m-1", "bob", "Hi"));
        var (ownEvent, earlier) = await otherStream.WaitForAsync(e => e.Type == "message.created", Soon);
        Assert.Empty(earlier);
        Assert.Equal(own.Str("messageId"), ownEvent.Id);
        Assert.DoesNotContain(acme.ChannelId, ownEvent.RawData);
    }

    [Fact]
    public async Task Only_the_brands_admins_and_agents_may_follow_its_events()
    {
        var acme = await Node.NewBrandWithChannelAsync();
        var other = await Node.NewBrandWithChannelAsync();
        var events = acme.Path("events");
        using var anonymous = Node.Client();
        (await anonymous.GetJson(events)).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        foreach (var role in new[] { "compliance", "ingest", "bot" })
        {
            using var refused = Node.Client(await Node.NewKeyAsync(acme.BrandId, acme.AdminKey, role));
            (await refused.GetJson(events)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        }
        using var otherAdmin = other.Admin();
        (await otherAdmin.GetJson(events)).AssertProblem(HttpStatusCode.NotFound, "not-found");

        using var admin = acme.Admin();
        await using var badResume = await EventStream.OpenAsync(admin, events, lastEventId: "not an id");
        Assert.Equal(HttpStatusCode.BadRequest, badResume.Status);
        await using var stream = await EventStream.OpenAsync(admin, events);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
    }

    [Fact]
    public async Task A_key_holds_a_bounded_number_of_streams_and_a_revoked_keys_stream_ends()
    {
        var storage = await backend.NewStorageAsync();
        storage["Events:MaxStreamsPerKey"] = "1";
        storage["Events:KeyCheckSeconds"] = "1";
        await using var node = await backend.StartNodeAsync(storage);
        var acme = await node.NewBrandWithChannelAsync();
        using var admin = acme.Admin();
        var issued = await admin.PostJson(acme.Path("api-keys"), new { name = "console", role = "agent" });
        using var agent = node.Client(issued.Str("key"));

        await using var first = await EventStream.OpenAsync(agent, acme.Path("events"));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        // Each open stream polls the database for as long as it lasts: a key may not open them without end.
        (await agent.GetJson(acme.Path("events"))).AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        using (var colleague = node.Client(await node.NewKeyAsync(acme.BrandId, acme.AdminKey, "agent")))
        await using (var theirs = await EventStream.OpenAsync(colleague, acme.Path("events")))
            Assert.Equal(HttpStatusCode.OK, theirs.Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete(acme.Path($"api-keys/{issued.Str("id")}"))).Status);
        await first.Ended.WaitAsync(Soon, TestContext.Current.CancellationToken);
        (await agent.GetJson(acme.Path("events"))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}

[Trait("Backend", "sqlite")]
public sealed class EventStreamOnSqlite(SqliteBackend backend) : EventStreamScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class EventStreamOnPostgres(PostgresBackend backend) : EventStreamScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class EventStreamOnSqlServer(SqlServerBackend backend) : EventStreamScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
