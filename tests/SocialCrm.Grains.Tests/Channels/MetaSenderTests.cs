using Microsoft.Extensions.Configuration;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Channels.Outbound;

namespace SocialCrm.Grains.Tests.Channels;

/// <summary>
/// A reply whose sending slipped past Messenger's 24-hour window (retries, a restart): only a human
/// agent's may still go, with the human-agent tag; a bot's is refused without calling Meta.
/// </summary>
public sealed class MetaSenderTests
{
    private static OutboundMessage Late(bool byHumanAgent) =>
        new("br_1", "ch_1", Platform.Messenger, "cv_1", "msg_1", 2, "Sorry for the wait", Visibility.Private, null, "cu_1")
        {
            AccountId = "page-1",
            RecipientUserId = "psid-ann",
            AfterStandardWindow = true,
            ByHumanAgent = byHumanAgent,
        };

    private static async Task<(DeliveryResult Result, List<PlatformApiCall> Calls)> SendAsync(OutboundMessage message)
    {
        await using var api = await FakePlatformApi.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(api.Configure([])).Build();
        using var http = new HttpClient();
        var result = await new MetaSender(http, configuration).SendAsync(message, new ChannelSecrets(null, null, "page-token", null),
            TestContext.Current.CancellationToken);
        return (result, api.Calls.ToList());
    }

    [Fact]
    public async Task A_bots_reply_after_the_window_is_refused_for_good_without_a_call()
    {
        var (result, calls) = await SendAsync(Late(byHumanAgent: false));
        Assert.False(result.Delivered);
        Assert.True(result.Permanent);
        Assert.Empty(calls);
    }

    [Fact]
    public async Task An_agents_reply_after_the_window_goes_with_the_human_agent_tag()
    {
        var (result, calls) = await SendAsync(Late(byHumanAgent: true));
        Assert.True(result.Delivered);
        var call = Assert.Single(calls);
        Assert.Equal(("MESSAGE_TAG", "HUMAN_AGENT"), (call.Body!["messaging_type"]!.GetValue<string>(), call.Body["tag"]!.GetValue<string>()));
    }
}
