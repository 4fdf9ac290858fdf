using System.Security.Cryptography;
using System.Text;

namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>What Meta sends: a body signed with the channel's app secret, computed here independently of the service.</summary>
public static class SignedWebhooks
{
    public static async Task<Reply> PostMetaAsync(ServiceHost node, string platform, string brandId, string channelId, string appSecret, string body)
    {
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(body)));
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{platform}/{brandId}/{channelId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await Reply.ReadAsync(response);
    }
}
