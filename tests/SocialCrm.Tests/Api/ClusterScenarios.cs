using System.Net;
using SocialCrm.Tests.Infrastructure;

namespace SocialCrm.Tests.Api;

/// <summary>Two nodes on one PostgreSQL database form one Orleans cluster: any node answers for any brand.</summary>
public sealed class ClusterScenarios(PostgresBackend backend) : IClassFixture<PostgresBackend>
{
    [Fact]
    public async Task A_key_revoked_through_one_node_is_refused_at_once_by_the_other()
    {
        var storage = await backend.NewStorageAsync();
        var clusterId = Steps.NewId("cluster");
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
}
