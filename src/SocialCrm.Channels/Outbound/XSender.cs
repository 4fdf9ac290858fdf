using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Channels.Outbound;

/// <summary>
/// X through its v2 API (<c>Platforms:X:ApiBaseUrl</c>), under the channel's user access token
/// (OAuth 2.0): a private reply is a direct message to the customer
/// (<c>2/dm_conversations/with/{user}/messages</c>); a public one a reply to the tweet it answers,
/// or to the thread's first tweet (<c>2/tweets</c>); a broadcast a new tweet.
/// </summary>
public sealed class XSender(HttpClient http, IConfiguration configuration) : IOutboundSender
{
    public const string DefaultApiBaseUrl = "https://api.x.com";

    public bool Handles(Platform platform) => platform == Platform.X;

    public Task<DeliveryResult> SendAsync(OutboundMessage message, ChannelSecrets? secrets, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secrets?.AccessToken)) return PlatformCall.NoAccessToken(message.Platform);
        string path;
        var body = new JsonObject { ["text"] = message.Text };
        if (message.Visibility == Visibility.Private)
        {
            if (message.RecipientUserId is not { } to)
                return Task.FromResult(DeliveryResult.Failed(PlatformCall.NoRecipient(message.Platform), permanent: true));
            path = $"2/dm_conversations/with/{PlatformCall.Segment(to)}/messages";
        }
        else
        {
            path = "2/tweets";
            if (!message.IsPost)
            {
                if ((message.InReplyTo ?? message.ExternalThreadId) is not { } tweet)
                    return Task.FromResult(DeliveryResult.Failed("The public thread names no tweet to reply to.", permanent: true));
                body["reply"] = new JsonObject { ["in_reply_to_tweet_id"] = tweet };
            }
        }
        var url = PlatformCall.BaseUrl(configuration["Platforms:X:ApiBaseUrl"], DefaultApiBaseUrl) + "/" + path;
        return PlatformCall.PostAsync(http, "X", url, secrets.AccessToken, body, ReadSent, ReadError, cancellationToken);
    }

    // A tweet {"data": {"id": ...}}, a direct message {"data": {"dm_event_id": ...}}.
    private static DeliveryResult ReadSent(JsonElement root) =>
        new(true, ExternalId: PlatformCall.Property(root, "data") is { } data
            ? PlatformCall.Field(data, "id") ?? PlatformCall.Field(data, "dm_event_id")
            : null);

    // Problem details: {"title": "Forbidden", "type": "https://api.twitter.com/2/problems/...", ...}; 429 and 5xx are retried by status.
    private static (string? Code, bool Transient) ReadError(JsonElement root) =>
        (PlatformCall.Field(root, "title"), false);
}
