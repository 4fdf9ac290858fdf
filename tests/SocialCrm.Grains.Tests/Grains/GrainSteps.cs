using System.Text.Json;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// A brand with one channel, made through the grain interfaces. Its grains are addressed through the
/// given client; the caller sets the brand in the request context (<see cref="BrandContext.Set"/>).
/// </summary>
public sealed record GrainBrand(IGrainFactory Grains, string BrandId, string ChannelId)
{
    public IInboundGrain Inbound => Grains.GetGrain<IInboundGrain>(Ids.Scoped(BrandId, ChannelId));

    public IChannelGrain Channel(string? channelId = null) => Grains.GetGrain<IChannelGrain>(Ids.Scoped(BrandId, channelId ?? ChannelId));

    public IConversationGrain Conversation(string conversationId) => Grains.GetGrain<IConversationGrain>(Ids.Scoped(BrandId, conversationId));

    public ICustomerGrain Customer(string customerId) => Grains.GetGrain<ICustomerGrain>(Ids.Scoped(BrandId, customerId));

    public IBrandGrain Brand => Grains.GetGrain<IBrandGrain>(BrandId);

    /// <summary>The same brand seen through another cluster's client (after a restart).</summary>
    public GrainBrand Through(IGrainFactory grains) => this with { Grains = grains };
}

/// <summary>Small steps the grain-level scenarios take.</summary>
public static class GrainSteps
{
    /// <summary>A new brand with one channel (web chat unless told). The request context it sets stays inside this call.</summary>
    public static async Task<GrainBrand> NewBrandAsync(this IGrainFactory grains, Platform platform = Platform.WebChat)
    {
        var brand = new GrainBrand(grains, TestIds.New("brand"), TestIds.New("ch"));
        BrandContext.Set(brand.BrandId);
        var created = await brand.Brand.Create("Brand " + brand.BrandId);
        Assert.True(created.Succeeded, created.Refusal?.Detail);
        var displayName = platform == Platform.WebChat ? "Web chat" : WireNames.Of(platform);
        var channel = await brand.Channel().Register(
            new ChannelRegistration(platform, "acct-" + brand.ChannelId, displayName, new ChannelSecrets("app-secret", null, null, null)));
        Assert.True(channel.Succeeded, channel.Refusal?.Detail);
        return brand;
    }

    /// <summary>A customer's private message as a platform would hand it in, stamped now unless told.</summary>
    public static InboundRequest Message(string externalMessageId, string externalUserId, string? text = null, DateTimeOffset? sentAt = null) =>
        new(externalMessageId, externalUserId, "User " + externalUserId, text ?? "text of " + externalMessageId,
            sentAt ?? DateTimeOffset.UtcNow, Visibility.Private, ExternalThreadId: null, InReplyToExternalMessageId: null);

    /// <summary>A customer's public comment in the thread <paramref name="externalThreadId"/> (under a post).</summary>
    public static InboundRequest Comment(string externalMessageId, string externalUserId, string externalThreadId, DateTimeOffset sentAt,
        string? text = null) =>
        new(externalMessageId, externalUserId, "User " + externalUserId, text ?? "text of " + externalMessageId,
            sentAt, Visibility.Public, externalThreadId, InReplyToExternalMessageId: null);

    public static readonly Actor Agent = new(AuthorType.Agent, "agent-1");

    public static Actor Bot(string botId) => new(AuthorType.Bot, botId);

    public static ReplyRequest AgentReply(string text, string? clientMessageId, bool humanAgentTag = false) =>
        new(AuthorType.Agent, Agent.Id, text, Purpose.Service, humanAgentTag, clientMessageId);

    public static ReplyRequest BotReply(string botId, string text, bool humanAgentTag = false) =>
        new(AuthorType.Bot, botId, text, Purpose.Service, humanAgentTag, ClientMessageId: null);

    /// <summary>Asserts the grain accepted the call and gives its value.</summary>
    public static T Accepted<T>(this Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, $"Refused ({outcome.Refusal?.Kind}): {outcome.Refusal?.Detail}");
        return outcome.Value!;
    }

    /// <summary>Asserts the grain refused the call for the given reason.</summary>
    public static Refusal RefusedAs<T>(this Outcome<T> outcome, RefusalKind kind)
    {
        Assert.True(outcome.Refusal?.Kind == kind,
            outcome.Refusal is { } other ? $"Refused as {other.Kind}, not {kind}: {other.Detail}" : $"Accepted, where {kind} was expected.");
        return outcome.Refusal!;
    }

    /// <summary>The conversation's events of one type (control-changed, taken-private, ...), in log order.</summary>
    public static async Task<List<MessageView>> EventsAsync(this IConversationGrain conversation, string eventType) =>
        (await conversation.AllMessagesAsync()).Where(m => m.EventType == eventType).ToList();

    /// <summary>A field of an event's data, as a string.</summary>
    public static string? EventField(this MessageView @event, string name)
    {
        using var data = JsonDocument.Parse(@event.EventData ?? throw new InvalidOperationException($"Message {@event.Seq} is not an event."));
        return data.RootElement.GetProperty(name).GetString();
    }

    /// <summary>Receives a message and asserts it was accepted.</summary>
    public static async Task<InboundAccepted> AcceptedAsync(this IInboundGrain inbound, InboundRequest request)
    {
        var outcome = await inbound.Receive(request);
        Assert.True(outcome.Succeeded, outcome.Refusal?.Detail);
        return outcome.Value!;
    }

    /// <summary>Every stored message of the conversation, in the order the log gives them.</summary>
    public static async Task<List<MessageView>> AllMessagesAsync(this IConversationGrain conversation)
    {
        var all = new List<MessageView>();
        long after = 0;
        while (true)
        {
            var page = await conversation.Messages(after, 200);
            Assert.True(page.Succeeded, page.Refusal?.Detail);
            all.AddRange(page.Value!.Items);
            if (page.Value.NextAfterSeq is not { } next) return all;
            after = next;
        }
    }

    public static async Task<ConversationView> ViewAsync(this IConversationGrain conversation)
    {
        var view = await conversation.Get();
        Assert.True(view.Succeeded, view.Refusal?.Detail);
        return view.Value!;
    }

    /// <summary>The seqs 1..n, what a conversation of n messages must hold.</summary>
    public static long[] OneTo(int n) => Enumerable.Range(1, n).Select(i => (long)i).ToArray();
}
