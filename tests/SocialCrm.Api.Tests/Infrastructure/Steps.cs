using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>Small steps every scenario takes through the public HTTP API.</summary>
public static class Steps
{
    /// <summary>A new brand with its admin key.</summary>
    public static async Task<(string BrandId, string AdminKey)> NewBrandAsync(this ServiceHost node)
    {
        var brandId = TestIds.New("brand");
        using var bootstrap = node.Client(ServiceHost.BootstrapSecret);
        var created = await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Brand " + brandId });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (brandId, created.Body!["adminKey"]!.GetValue<string>());
    }

    public static async Task<string> NewKeyAsync(this ServiceHost node, string brandId, string adminKey, string role, string? name = null)
    {
        using var admin = node.Client(adminKey);
        var created = await admin.PostJson($"/v1/brands/{brandId}/api-keys", new { name = name ?? role + "-key", role });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body!["key"]!.GetValue<string>();
    }

    public static async Task<string> NewChannelAsync(this ServiceHost node, string brandId, string adminKey, string platform = "webchat")
    {
        var channelId = TestIds.New("ch");
        using var admin = node.Client(adminKey);
        var created = await admin.PostJson($"/v1/brands/{brandId}/channels",
            new { id = channelId, platform, externalAccountId = "acct-" + channelId, displayName = "Channel", secrets = new { appSecret = "app-secret-" + channelId } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return channelId;
    }

    /// <summary>A brand with an admin key and one web chat channel.</summary>
    public static async Task<BrandSetup> NewBrandWithChannelAsync(this ServiceHost node, string platform = "webchat")
    {
        var (brandId, adminKey) = await node.NewBrandAsync();
        var channelId = await node.NewChannelAsync(brandId, adminKey, platform);
        return new BrandSetup(node, brandId, adminKey, channelId);
    }

    public static async Task<Reply> PostJson(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await Reply.ReadAsync(response);
    }

    public static async Task<Reply> PostRaw(this HttpClient client, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        using var response = await client.PostAsync(path, content);
        return await Reply.ReadAsync(response);
    }

    public static async Task<Reply> PutJson(this HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        return await Reply.ReadAsync(response);
    }

    public static async Task<Reply> PatchJson(this HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        return await Reply.ReadAsync(response);
    }

    public static async Task<Reply> GetJson(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await Reply.ReadAsync(response);
    }

    public static async Task<Reply> Delete(this HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path);
        return await Reply.ReadAsync(response);
    }
}

/// <summary>What a call answered: status, content type and the JSON body.</summary>
public sealed record Reply(HttpStatusCode Status, string? ContentType, JsonNode? Body, string Raw)
{
    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (raw.Length > 0)
        {
            try { body = JsonNode.Parse(raw); } catch (JsonException) { }
        }
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, raw);
    }

    public string? ProblemType => Body?["type"]?.GetValue<string>();

    /// <summary>Asserts an RFC 9457 problem with the contract's slug.</summary>
    public Reply AssertProblem(HttpStatusCode status, string slug)
    {
        Assert.True(Status == status, $"Expected {(int)status} {slug}, got {(int)Status}: {Raw}");
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal("urn:socialcrm:problem:" + slug, ProblemType);
        return this;
    }

    public string Str(string name) => Body![name]!.GetValue<string>();

    public long Long(string name) => Body![name]!.GetValue<long>();
}

public sealed record BrandSetup(ServiceHost Node, string BrandId, string AdminKey, string ChannelId)
{
    public HttpClient Admin() => Node.Client(AdminKey);

    public string InboundPath => $"/v1/brands/{BrandId}/channels/{ChannelId}/inbound";

    public string Path(string rest) => $"/v1/brands/{BrandId}/{rest}";

    public static object Inbound(string externalMessageId, string externalUserId, string text, string visibility = "private", string? threadId = null, string? inReplyTo = null) =>
        new
        {
            externalMessageId,
            externalUserId,
            userDisplayName = "User " + externalUserId,
            text,
            timestamp = DateTimeOffset.UtcNow,
            thread = new { visibility, externalThreadId = threadId },
            inReplyToExternalMessageId = inReplyTo,
        };
}
