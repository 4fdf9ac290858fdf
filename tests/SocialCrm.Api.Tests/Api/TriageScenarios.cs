using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>How agents sort the inbox: tags, priority, teams with turns, unread counts and search by the customer's name.</summary>
public abstract class TriageScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task Tags_are_normalized_listed_on_the_conversation_and_filter_the_inbox()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var late = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my parcel?"))).Str("conversationId");
        var other = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "bob", "Love it"))).Str("conversationId");

        var tagged = await admin.PutJson(setup.Path($"conversations/{late}/tags"), new { tags = new[] { "Late Delivery", "vip", "VIP" } });
        Assert.Equal(HttpStatusCode.OK, tagged.Status);
        Assert.Equal(["late-delivery", "vip"], tagged.Body!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        await admin.PutJson(setup.Path($"conversations/{other}/tags"), new { tags = new[] { "vip" } });

        Assert.Equal([late], await Ids(admin, setup, "tag=late-delivery"));
        Assert.Equal([late], await Ids(admin, setup, "tag=Late%20Delivery"));
        Assert.Equal(2, (await Ids(admin, setup, "tag=vip")).Count);
        var listed = (await admin.GetJson(setup.Path("conversations?tag=late-delivery"))).Body!["items"]![0]!;
        Assert.Equal(["late-delivery", "vip"], listed["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        // Removing a tag takes the conversation out of that filter, and the change is in its history.
        await admin.PutJson(setup.Path($"conversations/{late}/tags"), new { tags = new[] { "vip" } });
        Assert.Empty(await Ids(admin, setup, "tag=late-delivery"));
        var history = (await admin.GetJson(setup.Path($"conversations/{late}/messages"))).Body!["items"]!.AsArray();
        var changes = history.Where(m => m!["event"]?["type"]?.GetValue<string>() == "tags-changed").ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal("late-delivery", changes[1]!["event"]!["data"]!["removed"]![0]!.GetValue<string>());

        var bad = (await admin.PutJson(setup.Path($"conversations/{late}/tags"), new { tags = new[] { "ok", "no/slash" } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(bad.Body!["errors"]!["tags[1]"]);
        (await admin.PutJson(setup.Path($"conversations/{late}/tags"), new { tags = Enumerable.Range(0, 21).Select(i => $"t{i}").ToArray() }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.GetJson(setup.Path("conversations?tag=%2F"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["vip"], (await admin.GetJson(setup.Path($"conversations/{late}"))).Body!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Priority_is_normal_until_set_and_filters_the_inbox()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var urgent = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "My card was charged twice"))).Str("conversationId");
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "bob", "hello"));
        Assert.Equal("normal", (await admin.GetJson(setup.Path($"conversations/{urgent}"))).Str("priority"));

        var set = await admin.PutJson(setup.Path($"conversations/{urgent}/priority"), new { priority = "urgent" });
        Assert.Equal("urgent", set.Str("priority"));
        Assert.Equal([urgent], await Ids(admin, setup, "priority=urgent"));
        Assert.Single(await Ids(admin, setup, "priority=normal"));
        // A customer writing again does not reset what the agent decided.
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-3", "ann", "Any news?"));
        Assert.Equal([urgent], await Ids(admin, setup, "priority=urgent"));

        (await admin.PutJson(setup.Path($"conversations/{urgent}/priority"), new { priority = "asap" })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.GetJson(setup.Path("conversations?priority=asap"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        (await admin.PutJson(setup.Path("conversations/cv_missing/priority"), new { priority = "high" })).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_conversation_handed_to_a_team_goes_to_its_available_members_in_turn()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var saved = await admin.PutJson(setup.Path("teams/logistics"), new
        {
            name = "Logistics",
            members = new object[] { new { agentId = "ann" }, new { agentId = "bob" }, new { agentId = "cy", available = false } },
        });
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        var conversations = new List<string>();
        for (var i = 0; i < 3; i++)
            conversations.Add((await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"m-{i}", $"u-{i}", "Where is my order?"))).Str("conversationId"));

        var assignees = new List<string?>();
        foreach (var id in conversations)
        {
            var assigned = await admin.PostJson(setup.Path($"conversations/{id}/assign"), new { teamId = "logistics" });
            Assert.Equal(HttpStatusCode.OK, assigned.Status);
            Assert.Equal("logistics", assigned.Str("teamId"));
            assignees.Add(assigned.Body!["assignee"]?.GetValue<string>());
        }
        // Cy is away: Ann and Bob take turns.
        Assert.Equal(["ann", "bob", "ann"], assignees);
        Assert.Equal(3, (await Ids(admin, setup, "team=logistics")).Count);

        // Bob says he is away (an agent for themselves); the next one goes to Ann again.
        var bobKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "bob");
        using var bob = Node.Client(bobKey);
        Assert.Equal(HttpStatusCode.OK, (await bob.PutJson(setup.Path("teams/logistics/members/bob/availability"), new { available = false })).Status);
        (await bob.PutJson(setup.Path("teams/logistics/members/ann/availability"), new { available = false })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        var fourth = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-9", "u-9", "Hello?"))).Str("conversationId");
        Assert.Equal("ann", (await admin.PostJson(setup.Path($"conversations/{fourth}/assign"), new { teamId = "logistics" })).Str("assignee"));

        // Agents can read teams but not change them; a missing team is a 404 and changes nothing.
        Assert.Equal("Logistics", (await bob.GetJson(setup.Path("teams"))).Body!["items"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PutJson(setup.Path("teams/logistics"), new { name = "Mine now" })).Status);
        (await admin.PostJson(setup.Path($"conversations/{fourth}/assign"), new { teamId = "nobody" })).AssertProblem(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("logistics", (await admin.GetJson(setup.Path($"conversations/{fourth}"))).Str("teamId"));
        var invalid = (await admin.PutJson(setup.Path("teams/t2"), new { name = "", members = new object[] { new { agentId = "a" }, new { agentId = "a" } } }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(invalid.Body!["errors"]!["name"]);
        Assert.NotNull(invalid.Body!["errors"]!["members[1].agentId"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete(setup.Path("teams/logistics"))).Status);
        Assert.Empty((await admin.GetJson(setup.Path("teams"))).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Unread_counts_follow_customer_messages_until_an_agent_looks_or_replies()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "ann-agent");
        using var agent = Node.Client(agentKey);
        var first = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hello"))).Str("conversationId");
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "ann", "anyone?"));
        var second = (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-3", "bob", "hi", "public", "post-1"))).Str("conversationId");

        Assert.Equal(2, (await agent.GetJson(setup.Path($"conversations/{first}"))).Long("unreadCount"));
        Assert.Equal(2, (await agent.GetJson(setup.Path("conversations/unread-count"))).Long("unread"));
        Assert.Equal(1, (await agent.GetJson(setup.Path("conversations/unread-count?visibility=public"))).Long("unread"));
        Assert.False((await agent.GetJson(setup.Path("conversations/unread-count"))).Body!["capped"]!.GetValue<bool>());

        // An agent opens the first one: it is read. A reply reads the second.
        Assert.Equal(0, (await agent.PostJson(setup.Path($"conversations/{first}/seen"), new { })).Long("unreadCount"));
        Assert.Equal([second], await Ids(agent, setup, "unread=true"));
        await agent.PostJson(setup.Path($"conversations/{second}/messages"), new { text = "Hello Bob", purpose = "service" });
        Assert.Equal(0, (await agent.GetJson(setup.Path("conversations/unread-count"))).Long("unread"));

        // The customer writes again: unread again, with a count of one.
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-4", "ann", "still there?"));
        Assert.Equal(1, (await agent.GetJson(setup.Path($"conversations/{first}"))).Long("unreadCount"));
        Assert.Equal(1, (await agent.GetJson(setup.Path("conversations/unread-count"))).Long("unread"));
        (await agent.GetJson(setup.Path("conversations/unread-count?status=closed"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task The_inbox_finds_conversations_by_the_start_of_any_word_of_the_customers_name_and_forgets_erased_names()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var zoe = await admin.PostJson(setup.InboundPath, Named("m-1", "u-1", "Zoë Martin-Dupré"));
        await admin.PostJson(setup.InboundPath, Named("m-2", "u-2", "Martha Jones"));
        await admin.PostJson(setup.InboundPath, Named("m-3", "u-3", "Noah Smith"));

        Assert.Equal([zoe.Str("conversationId")], await Ids(admin, setup, "q=zoe"));
        Assert.Equal([zoe.Str("conversationId")], await Ids(admin, setup, "q=DUPRE"));
        Assert.Equal(2, (await Ids(admin, setup, "q=mart")).Count);
        Assert.Empty(await Ids(admin, setup, "q=artin"));
        // A LIKE wildcard typed by the user is not one: "%" alone searches nothing, and "_oë" finds nobody.
        (await admin.GetJson(setup.Path("conversations?q=%25"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.Empty(await Ids(admin, setup, "q=_o%C3%AB"));
        // Other brands' customers are never found.
        var otherBrand = await Node.NewBrandWithChannelAsync();
        using var otherAdmin = otherBrand.Admin();
        Assert.Empty(await Ids(otherAdmin, otherBrand, "q=zoe"));

        Assert.Equal(HttpStatusCode.OK, (await admin.Delete(setup.Path($"customers/{zoe.Str("customerId")}"))).Status);
        Assert.Empty(await Ids(admin, setup, "q=zoe"));
        (await admin.GetJson(setup.Path("conversations?q=" + new string('a', 201)))).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    private static object Named(string messageId, string userId, string name) => new
    {
        externalMessageId = messageId,
        externalUserId = userId,
        userDisplayName = name,
        text = "hello",
        timestamp = DateTimeOffset.UtcNow,
        thread = new { visibility = "private" },
    };

    private static async Task<List<string>> Ids(HttpClient client, BrandSetup setup, string query)
    {
        var reply = await client.GetJson(setup.Path("conversations?" + query));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }
}

[Trait("Backend", "sqlite")]
public sealed class TriageOnSqlite(SqliteBackend backend) : TriageScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class TriageOnPostgres(PostgresBackend backend) : TriageScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class TriageOnSqlServer(SqlServerBackend backend) : TriageScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
