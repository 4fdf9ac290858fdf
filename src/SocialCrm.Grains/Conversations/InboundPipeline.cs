using System.Collections.Concurrent;
using System.Diagnostics;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Telemetry;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// Where an inbound message enters: resolves the customer through their identity, finds the
/// conversation by (channel, external thread) and appends. One per silo, called in-process by the
/// API (a grain hop less per message) and by <see cref="InboundGrain"/> for cluster clients. It
/// remembers channels and brand settings briefly to spare two calls per message; the brand scope
/// of every call it makes is checked by the grains it calls.
/// </summary>
public sealed class InboundPipeline(GrainReferences grains, TimeProvider clock)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    // Channels and brands a node serves are few; the cap only guards against a flood of made-up ids.
    private const int CacheCap = 10_000;

    private readonly ConcurrentDictionary<string, (ChannelView Channel, DateTimeOffset At)> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (BrandSettings Settings, DateTimeOffset At)> _settings = new(StringComparer.Ordinal);

    public async Task<Outcome<InboundAccepted>> ReceiveAsync(string brandId, string channelId, InboundRequest request)
    {
        // Counted here, where every entry (the inbound API, platform webhooks, cluster clients) passes.
        var started = Stopwatch.GetTimestamp();
        var outcome = await AcceptAsync(brandId, channelId, request);
        if (outcome.Value is { } accepted)
        {
            SocialCrmMetrics.MessagesIngested.Add(1, new KeyValuePair<string, object?>("duplicate", accepted.Duplicate));
            SocialCrmMetrics.InboundAckDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return outcome;
    }

    private async Task<Outcome<InboundAccepted>> AcceptAsync(string brandId, string channelId, InboundRequest request)
    {
        // The API refuses a NUL before this and platform webhooks drop it; cluster clients come here directly.
        if (NulField(request) is { } field) return Refusal.Invalid(field, TextRules.NulRefusal);
        var channel = await ChannelAsync(brandId, channelId);
        if (channel is null) return Refusal.NotFound("Channel");
        if (request.Visibility == Visibility.Public && string.IsNullOrEmpty(request.ExternalThreadId))
            return Refusal.Invalid("thread.externalThreadId", "A public message needs the external thread it belongs to.");

        var customerId = await grains.Get<IIdentityGrain>(IdentityAddress.Of(brandId, channel.Platform, request.ExternalUserId))
            .Resolve(request.UserDisplayName);
        var conversationId = request.Visibility == Visibility.Public
            ? ConversationAddress.ForPublicThread(channelId, request.ExternalThreadId!)
            : ConversationAddress.ForPrivate(channelId, customerId);
        var message = new InboundMessage(channelId, channel.Platform, customerId, request.ExternalMessageId, request.Text,
            request.Timestamp ?? clock.GetUtcNow(), request.Visibility, request.ExternalThreadId, request.InReplyToExternalMessageId);
        var appended = await grains.Get<IConversationGrain>(Ids.Scoped(brandId, conversationId)).AppendInbound(message);
        if (appended.Value is not { } result) return appended.Refusal!;
        if (!result.Duplicate && await IsOptOutAsync(brandId, request.Text))
        {
            // The customer's own words withdraw marketing, with their message as the evidence.
            ActorContext.Set("customer:" + customerId);
            await grains.Get<ICustomerGrain>(Ids.Scoped(brandId, customerId)).RecordConsent(new ConsentChange(
                Purpose.Marketing, ConsentStatus.Withdrawn, "consent", "message", "message " + result.MessageId, null, null, "customer"));
        }
        return new InboundAccepted(result.ConversationId, result.MessageId, result.AuthorId, result.Seq, result.Duplicate);
    }

    private static string? NulField(InboundRequest r) =>
        TextRules.HasNul(r.ExternalMessageId) ? "externalMessageId"
        : TextRules.HasNul(r.ExternalUserId) ? "externalUserId"
        : TextRules.HasNul(r.UserDisplayName) ? "userDisplayName"
        : TextRules.HasNul(r.Text) ? "text"
        : TextRules.HasNul(r.ExternalThreadId) ? "thread.externalThreadId"
        : TextRules.HasNul(r.InReplyToExternalMessageId) ? "inReplyToExternalMessageId"
        : null;

    private async Task<bool> IsOptOutAsync(string brandId, string text)
    {
        var now = clock.GetUtcNow();
        if (!_settings.TryGetValue(brandId, out var cached) || now - cached.At >= CacheLifetime)
        {
            cached = (await grains.Get<IBrandGrain>(brandId).Settings(), now);
            Remember(_settings, brandId, cached);
        }
        var word = text.Trim().TrimEnd('.', '!').Trim();
        return word.Length <= 32 && cached.Settings.OptOutKeywords.Any(k => string.Equals(k, word, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<ChannelView?> ChannelAsync(string brandId, string channelId)
    {
        var key = Ids.Scoped(brandId, channelId);
        var now = clock.GetUtcNow();
        if (_channels.TryGetValue(key, out var cached) && now - cached.At < CacheLifetime) return cached.Channel;
        var channel = await grains.Get<IChannelGrain>(key).Get();
        // Only channels that exist are remembered: an unknown id is asked again, never cached.
        if (channel is not null) Remember(_channels, key, (channel, now));
        return channel;
    }

    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= CacheCap) cache.Clear();
        cache[key] = value;
    }
}
