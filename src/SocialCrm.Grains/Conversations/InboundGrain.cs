using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// Where an inbound message enters: resolves the customer through their identity, finds the
/// conversation by (channel, external thread) and appends. A stateless worker per channel, so each
/// silo takes its share of a busy channel; it remembers the channel briefly to spare a call per message.
/// Reentrant: it holds nothing but that cache, and each call mostly waits on the conversation's durable append.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class InboundGrain(TimeProvider clock) : Grain, IInboundGrain
{
    private static readonly TimeSpan ChannelCacheLifetime = TimeSpan.FromSeconds(30);

    private ChannelView? _channel;
    private DateTimeOffset _channelFetchedAt;
    private BrandSettings? _settings;
    private DateTimeOffset _settingsFetchedAt;

    async Task<Outcome<InboundAccepted>> IInboundGrain.Receive(InboundRequest request)
    {
        var key = this.GetPrimaryKeyString();
        var brandId = Ids.BrandOf(key);
        var channelId = Ids.LocalPart(key);
        var channel = await ChannelAsync(key);
        if (channel is null) return Refusal.NotFound("Channel");
        if (request.Visibility == Visibility.Public && string.IsNullOrEmpty(request.ExternalThreadId))
            return Refusal.Invalid("thread.externalThreadId", "A public message needs the external thread it belongs to.");

        var customerId = await GrainFactory.GetGrain<IIdentityGrain>(IdentityAddress.Of(brandId, channel.Platform, request.ExternalUserId))
            .Resolve(request.UserDisplayName);
        var conversationId = request.Visibility == Visibility.Public
            ? ConversationAddress.ForPublicThread(channelId, request.ExternalThreadId!)
            : ConversationAddress.ForPrivate(channelId, customerId);
        var message = new InboundMessage(channelId, channel.Platform, customerId, request.ExternalMessageId, request.Text,
            request.Timestamp ?? clock.GetUtcNow(), request.Visibility, request.ExternalThreadId, request.InReplyToExternalMessageId);
        var appended = await GrainFactory.GetGrain<IConversationGrain>(Ids.Scoped(brandId, conversationId)).AppendInbound(message);
        if (appended.Value is not { } result) return appended.Refusal!;
        if (!result.Duplicate && await IsOptOutAsync(brandId, request.Text))
        {
            // The customer's own words withdraw marketing, with their message as the evidence.
            ActorContext.Set("customer:" + customerId);
            await GrainFactory.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, customerId)).RecordConsent(new ConsentChange(
                Purpose.Marketing, ConsentStatus.Withdrawn, "consent", "message", "message " + result.MessageId, null, null, "customer"));
        }
        return new InboundAccepted(result.ConversationId, result.MessageId, result.AuthorId, result.Seq, result.Duplicate);
    }

    private async Task<bool> IsOptOutAsync(string brandId, string text)
    {
        var now = clock.GetUtcNow();
        if (_settings is null || now - _settingsFetchedAt >= ChannelCacheLifetime)
        {
            _settings = await GrainFactory.GetGrain<IBrandGrain>(brandId).Settings();
            _settingsFetchedAt = now;
        }
        var word = text.Trim().TrimEnd('.', '!').Trim();
        return word.Length <= 32 && _settings.OptOutKeywords.Any(k => string.Equals(k, word, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<ChannelView?> ChannelAsync(string key)
    {
        var now = clock.GetUtcNow();
        if (_channel is not null && now - _channelFetchedAt < ChannelCacheLifetime) return _channel;
        _channel = await GrainFactory.GetGrain<IChannelGrain>(key).Get();
        _channelFetchedAt = now;
        return _channel;
    }
}
