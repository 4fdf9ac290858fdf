using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Channels.Outbound;

/// <summary>
/// Messenger, Instagram and WhatsApp through Meta's Graph API (<c>Platforms:Meta:GraphBaseUrl</c>),
/// under the channel's access token (a page token, or a WhatsApp system-user token):
/// <list type="bullet">
/// <item>a private reply goes to the customer's page-scoped id (<c>me/messages</c>; after the 24-hour
/// window with the human-agent tag) or WhatsApp number (<c>{phone-number-id}/messages</c>); the first
/// one after a comment was taken private goes by that comment (Meta's private replies);</item>
/// <item>a public reply goes under the comment it answers (Facebook <c>{comment}/comments</c>,
/// Instagram <c>{comment}/replies</c>), or under the post when it answers none;</item>
/// <item>a broadcast becomes a page post (<c>{page}/feed</c>).</item>
/// </list>
/// </summary>
public sealed class MetaSender(HttpClient http, IConfiguration configuration) : IOutboundSender
{
    public const string DefaultGraphBaseUrl = "https://graph.facebook.com/v21.0";

    // Meta's codes for throttling and its own passing trouble (Graph, then WhatsApp): worth another attempt after a backoff.
    private static readonly HashSet<int> TransientCodes = [1, 2, 4, 17, 32, 341, 613, 130429, 131000, 131016, 131048, 131056, 133004];

    public bool Handles(Platform platform) => platform is Platform.Messenger or Platform.Instagram or Platform.WhatsApp;

    public Task<DeliveryResult> SendAsync(OutboundMessage message, ChannelSecrets? secrets, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secrets?.AccessToken)) return PlatformCall.NoAccessToken(message.Platform);
        var call = message.Visibility == Visibility.Private ? PrivateCall(message) : PublicCall(message);
        if (call.Refusal is { } refusal) return Task.FromResult(DeliveryResult.Failed(refusal, permanent: true));
        var url = PlatformCall.BaseUrl(configuration["Platforms:Meta:GraphBaseUrl"], DefaultGraphBaseUrl) + "/" + call.Path;
        return PlatformCall.PostAsync(http, "Meta", url, secrets.AccessToken, call.Body!, ReadSent, ReadError, cancellationToken);
    }

    private static (string Path, JsonObject? Body, string? Refusal) PrivateCall(OutboundMessage message)
    {
        // The first reply after a comment was taken private: Meta's private reply, addressed by the comment.
        if (message.InReplyTo is { } comment && message.Platform is Platform.Messenger or Platform.Instagram)
        {
            return ("me/messages", new JsonObject
            {
                ["recipient"] = new JsonObject { ["comment_id"] = comment },
                ["message"] = new JsonObject { ["text"] = message.Text },
            }, null);
        }
        if (message.RecipientUserId is not { } to)
            return ("", null, PlatformCall.NoRecipient(message.Platform));
        if (message.Platform == Platform.WhatsApp)
        {
            return ($"{PlatformCall.Segment(message.AccountId)}/messages", new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["recipient_type"] = "individual",
                ["to"] = to,
                ["type"] = "text",
                ["text"] = new JsonObject { ["preview_url"] = false, ["body"] = message.Text },
            }, null);
        }
        // Sending slipped past the window (retries, a restart): only a human agent's reply may still go, tagged.
        if (message.AfterStandardWindow && !message.ByHumanAgent)
            return ("", null, "The 24-hour window closed before this reply could be sent; only a human agent may answer now.");
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = to },
            ["messaging_type"] = message.AfterStandardWindow ? "MESSAGE_TAG" : "RESPONSE",
            ["message"] = new JsonObject { ["text"] = message.Text },
        };
        if (message.AfterStandardWindow) body["tag"] = "HUMAN_AGENT";
        return ("me/messages", body, null);
    }

    private static (string Path, JsonObject? Body, string? Refusal) PublicCall(OutboundMessage message)
    {
        var text = new JsonObject { ["message"] = message.Text };
        return message.Platform switch
        {
            Platform.WhatsApp => ("", null, "WhatsApp has no public threads to reply in."),
            Platform.Messenger when message.IsPost => ($"{PlatformCall.Segment(message.AccountId)}/feed", text, null),
            Platform.Instagram when message.IsPost => ("", null, "Instagram posts need an image or a video: text alone cannot be posted."),
            Platform.Instagram when message.InReplyTo is { } comment => ($"{PlatformCall.Segment(comment)}/replies", text, null),
            _ when (message.InReplyTo ?? message.ExternalThreadId) is { } parent => ($"{PlatformCall.Segment(parent)}/comments", text, null),
            _ => ("", null, "The public thread names no post to reply under."),
        };
    }

    // Send API {"recipient_id": ..., "message_id": ...}, comments and posts {"id": ...}, WhatsApp {"messages": [{"id": ...}]}.
    private static DeliveryResult ReadSent(JsonElement root)
    {
        var id = PlatformCall.Field(root, "message_id") ?? PlatformCall.Field(root, "id");
        if (id is null && PlatformCall.Property(root, "messages") is { ValueKind: JsonValueKind.Array } messages && messages.GetArrayLength() > 0)
            id = PlatformCall.Field(messages[0], "id");
        return new DeliveryResult(true, ExternalId: id, RecipientId: PlatformCall.Field(root, "recipient_id"));
    }

    // {"error": {"code": 190, "error_subcode": 460, ...}}
    private static (string? Code, bool Transient) ReadError(JsonElement root)
    {
        if (PlatformCall.Property(root, "error") is not { } error) return (null, false);
        var code = PlatformCall.Field(error, "code");
        var subcode = PlatformCall.Field(error, "error_subcode");
        var transient = PlatformCall.Property(error, "is_transient")?.ValueKind == JsonValueKind.True
            || (int.TryParse(code, out var number) && (TransientCodes.Contains(number) || number is >= 80000 and < 80100));
        return (subcode is null ? code : $"{code}/{subcode}", transient);
    }
}
