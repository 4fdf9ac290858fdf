using Microsoft.Extensions.Logging;
using Orleans.Streams;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// In-cluster bots: the conversation's Orleans stream per event type (key = the conversation's grain
/// key). Best effort: the durable path is the webhook outbox.
/// </summary>
internal sealed class ConversationStream(IStreamProvider provider, string grainKey, ILogger logger)
{
    public async Task PublishAsync(IReadOnlyList<WebhookEvent> events)
    {
        if (events.Count == 0) return;
        var brandId = Ids.BrandOf(grainKey);
        var conversationId = Ids.LocalPart(grainKey);
        try
        {
            foreach (var e in events)
            {
                await provider.GetStream<ConversationEvent>(StreamId.Create(e.Type, grainKey))
                    .OnNextAsync(new ConversationEvent(e.Type, brandId, conversationId, (e.LaneSeq + 1) / 2,
                        DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs), e.Data));
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning("Publishing conversation {ConversationId} events on its stream failed: {Error}", conversationId, ex.GetType().Name);
        }
    }
}
