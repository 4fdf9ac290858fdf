using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocialCrm.Channels.Webhooks;

/// <summary>One delivery attempt's content: everything but the time of sending, which is stamped per attempt.</summary>
public sealed record WebhookDelivery(string Id, string Type, string BrandId, string? ConversationId, DateTimeOffset OccurredAt, string? Data);

/// <summary>
/// POSTs signed deliveries to bots. The body is signed whole (HMAC-SHA256 with the webhook's secret,
/// <c>X-SocialCrm-Signature: sha256=&lt;hex&gt;</c>), and it carries <c>sentAt</c>, the time of this
/// attempt, so a receiver can refuse a replay; the delivery id stays the same across attempts, so it
/// can dedupe. Logs nothing of the body.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider clock)
{
    public async Task<string?> SendAsync(string url, string secret, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["id"] = delivery.Id,
            ["type"] = delivery.Type,
            ["brandId"] = delivery.BrandId,
            ["conversationId"] = delivery.ConversationId,
            ["occurredAt"] = delivery.OccurredAt,
            ["sentAt"] = clock.GetUtcNow(),
            ["data"] = delivery.Data is null ? null : JsonNode.Parse(delivery.Data),
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(JsonSerializerOptions.Web));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-SocialCrm-Event", delivery.Type);
        request.Headers.Add("X-SocialCrm-Delivery", delivery.Id);
        request.Headers.Add("X-SocialCrm-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"The endpoint answered {(int)response.StatusCode}.";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"The endpoint could not be reached ({ex.GetType().Name}).";
        }
    }
}
