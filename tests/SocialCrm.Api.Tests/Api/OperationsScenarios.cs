using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>What operators and client generators rely on: health endpoints and the OpenAPI document.</summary>
public sealed class OperationsScenarios(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    [Fact]
    public async Task Health_endpoints_answer_without_a_key()
    {
        using var anonymous = backend.Node.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetJson("/health/live")).Status);
        var ready = await anonymous.GetJson("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Raw);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_v1_routes()
    {
        using var anonymous = backend.Node.Client();
        var document = await anonymous.GetJson("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);
        var paths = document.Body!["paths"]!.AsObject();
        foreach (var path in new[]
                 {
                     "/v1/brands", "/v1/brands/{brandId}/channels/{channelId}/inbound", "/v1/brands/{brandId}/conversations",
                     "/v1/brands/{brandId}/conversations/{conversationId}/messages", "/v1/brands/{brandId}/customers/{customerId}",
                 })
            Assert.True(paths.ContainsKey(path), path);
    }

    [Fact]
    public async Task Unknown_routes_under_v1_need_a_key_first()
    {
        using var anonymous = backend.Node.Client();
        (await anonymous.GetJson("/v1/nothing-here")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
