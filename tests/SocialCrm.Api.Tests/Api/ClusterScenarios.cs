using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>Two nodes on one PostgreSQL database form one Orleans cluster: any node answers for any brand.</summary>
public sealed class ClusterScenarios(PostgresBackend backend) : IClassFixture<PostgresBackend>
{
    [Fact]
    public async Task A_key_revoked_through_one_node_is_refused_at_once_by_the_other()
    {
        var storage = await backend.NewStorageAsync();
        var clusterId = TestIds.New("cluster");
        await using var first = await backend.StartNodeAsync(storage, clusterId);
        await using var second = await backend.StartNodeAsync(storage, clusterId);

        var setup = await first.NewBrandWithChannelAsync();
        var agentKey = await first.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent");
        using var adminOnFirst = setup.Admin();
        var accepted = await adminOnFirst.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "u-1", "written through the first node"));

        using var agentOnSecond = second.Client(agentKey);
        var read = await agentOnSecond.GetJson(setup.Path($"conversations/{accepted.Str("conversationId")}/messages"));
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal("written through the first node", read.Body!["items"]![0]!["text"]!.GetValue<string>());

        var keys = await adminOnFirst.GetJson(setup.Path("api-keys"));
        var agentKeyId = keys.Body!.AsArray().Single(k => k!["role"]!.GetValue<string>() == "agent")!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await adminOnFirst.Delete(setup.Path("api-keys/" + agentKeyId))).Status);
        (await agentOnSecond.GetJson(setup.Path("conversations"))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_channel_registered_through_one_node_verifies_signatures_on_the_other_once_the_first_is_gone()
    {
        var storage = await backend.NewStorageAsync();
        var clusterId = TestIds.New("cluster");
        var appSecret = "app-secret-" + Guid.NewGuid().ToString("N")[..12];
        var first = await backend.StartNodeAsync(storage, clusterId);
        await using var second = await backend.StartNodeAsync(storage, clusterId);
        string brandId, channelId;
        await using (first)
        {
            (brandId, var adminKey) = await first.NewBrandAsync();
            channelId = TestIds.New("ch");
            using var admin = first.Client(adminKey);
            var created = await admin.PostJson($"/v1/brands/{brandId}/channels",
                new { id = channelId, platform = "messenger", externalAccountId = "acct-1", displayName = "Main", secrets = new { appSecret } });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            Assert.Equal(HttpStatusCode.OK, (await SignedMessengerAsync(first, brandId, channelId, appSecret, "m_1")).Status);
        }

        // The first node has left: the channel is activated again on the second, which opens its
        // secrets with the key ring the cluster shares in the database.
        var reply = await SignedMessengerAsync(second, brandId, channelId, appSecret, "m_2");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Raw);
        Assert.Equal(1, reply.Long("accepted"));
        Assert.Empty(await StoreAccess.WhereAnyStoredAsync(storage, appSecret));
    }

    private static async Task<Reply> SignedMessengerAsync(ServiceHost node, string brandId, string channelId, string appSecret, string mid)
    {
        var body = $$$"""{"object":"page","entry":[{"id":"acct-1","messaging":[{"sender":{"id":"psid-1"},"timestamp":1764061200000,"message":{"mid":"{{{mid}}}","text":"hi"}}]}]}""";
        return await SignedWebhooks.PostMetaAsync(node, "messenger", brandId, channelId, appSecret, body);
    }
}
