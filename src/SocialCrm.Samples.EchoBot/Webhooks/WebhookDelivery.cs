using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SocialCrm.Samples.EchoBot.Conversations;

namespace SocialCrm.Samples.EchoBot.Webhooks;

/// <summary>One delivery's body: <c>{id, type, brandId, conversationId, occurredAt, sentAt, data}</c>.</summary>
public sealed record WebhookDelivery(
    string Id, string Type, string? BrandId, string? ConversationId, DateTimeOffset? OccurredAt, DateTimeOffset SentAt, JsonElement Data)
{
    public const string MessageCreated = "message.created";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Body(
        string? Id, string? Type, string? BrandId, string? ConversationId, DateTimeOffset? OccurredAt, DateTimeOffset? SentAt, JsonElement Data);

    private sealed record MessageData(string? AuthorType, string? Text);

    /// <summary>Reads a body whose signature was already checked; false when it lacks what every delivery has.</summary>
    public static bool TryParse(byte[] body, [NotNullWhen(true)] out WebhookDelivery? delivery)
    {
        delivery = null;
        Body? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Body>(body, Json);
        }
        catch (JsonException)
        {
            return false;
        }
        if (parsed is not { Id: { Length: > 0 } id, Type: { Length: > 0 } type, SentAt: { } sentAt }) return false;
        delivery = new WebhookDelivery(id, type, parsed.BrandId, parsed.ConversationId, parsed.OccurredAt, sentAt, parsed.Data);
        return true;
    }

    /// <summary>
    /// Fresh means sent within the replay window: not older than <paramref name="maxAge"/>, and not
    /// further ahead of our clock than <paramref name="allowedSkew"/>.
    /// </summary>
    public bool IsFresh(DateTimeOffset now, TimeSpan maxAge, TimeSpan allowedSkew) =>
        SentAt >= now - maxAge && SentAt <= now + allowedSkew;

    /// <summary>The customer's message this delivery announces, or null for any other event.</summary>
    public CustomerMessage? CustomerMessage()
    {
        if (Type != MessageCreated || BrandId is null || ConversationId is null || Data.ValueKind != JsonValueKind.Object) return null;
        var data = Data.Deserialize<MessageData>(Json);
        // Only customers get answers: the bot's own replies and agents' messages come back as events too.
        if (data is not { AuthorType: "customer", Text: { } text }) return null;
        return new CustomerMessage(BrandId, ConversationId, Id, text);
    }
}
