using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Channels.Outbound;

/// <summary>
/// Web chat. Without <c>Platforms:WebChat:DeliveryUrl</c> the widget reads replies from the API, so a
/// reply counts as sent once stored. With it, each reply is POSTed there (signed with the channel's
/// app secret, HMAC-SHA256 of the raw body, when it has one) and counts as sent on a 2xx answer.
/// </summary>
public sealed class WebChatSender(HttpClient http, IConfiguration configuration) : IOutboundSender
{
    public bool Handles(Platform platform) => platform == Platform.WebChat;

    public async Task<DeliveryResult> SendAsync(OutboundMessage message, ChannelSecrets? secrets, CancellationToken cancellationToken)
    {
        var url = configuration["Platforms:WebChat:DeliveryUrl"];
        if (string.IsNullOrWhiteSpace(url)) return DeliveryResult.Sent;

        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            brandId = message.BrandId,
            channelId = message.ChannelId,
            conversationId = message.ConversationId,
            messageId = message.MessageId,
            seq = message.Seq,
            text = message.Text,
            visibility = WireNames.Of(message.Visibility),
            externalThreadId = message.ExternalThreadId,
            customerId = message.RecipientCustomerId,
        }, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-SocialCrm-Delivery", message.MessageId);
        if (!string.IsNullOrEmpty(secrets?.AppSecret))
        {
            var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets.AppSecret), body);
            request.Headers.Add("X-SocialCrm-Signature", "sha256=" + Convert.ToHexStringLower(signature));
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                ? DeliveryResult.Sent
                : DeliveryResult.Failed($"The web chat endpoint answered {(int)response.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return DeliveryResult.Failed($"The web chat endpoint could not be reached ({ex.GetType().Name}).");
        }
    }
}
