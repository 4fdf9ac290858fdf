using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocialCrm.Samples.EchoBot;
using SocialCrm.Samples.EchoBot.Conversations;
using SocialCrm.Samples.EchoBot.Webhooks;

namespace SocialCrm.Api.Tests.Samples;

/// <summary>
/// The sample bot as the service meets it: signed webhook deliveries in, API calls with the bot key
/// out (to a fake API on loopback), and nothing done for a forged, stale or repeated delivery.
/// </summary>
public sealed class EchoBotTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private const string BotKey = "sck_test_bot_key";
    private const string MessagesPath = "/v1/brands/acme/conversations/cv_1/messages";
    private const string ControlPath = "/v1/brands/acme/conversations/cv_1/control";

    private FakeSocialCrmApi _api = null!;
    private WebApplicationFactory<EchoBotApp> _bot = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeSocialCrmApi.StartAsync();
        _bot = Bot(new()
        {
            ["SocialCrm:BaseUrl"] = _api.Url,
            ["SocialCrm:BotKey"] = BotKey,
            ["SocialCrm:Timeout"] = "00:00:02",
            ["Webhook:Secret"] = Secret,
        });
        _client = _bot.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_customer_message_is_answered_through_the_api()
    {
        var id = NewDeliveryId();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Delivery(id, "Hello there")));

        var call = Assert.Single(_api.Calls);
        Assert.Equal(MessagesPath, call.Path);
        Assert.Equal("Bearer " + BotKey, call.Authorization);
        Assert.Equal("You said: Hello there", (string?)call.Body!["text"]);
        Assert.Equal("service", (string?)call.Body["purpose"]);
        Assert.Equal(id, (string?)call.Body["clientMessageId"]);
    }

    [Fact]
    public async Task A_question_from_the_faq_gets_its_answer()
    {
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Delivery(NewDeliveryId(), "What are your opening hours?")));
        Assert.StartsWith("We're open", (string?)Assert.Single(_api.Calls).Body!["text"]);
    }

    [Fact]
    public async Task A_forged_or_unsigned_delivery_is_refused_and_nothing_is_called()
    {
        var body = Delivery(NewDeliveryId(), "Hello");
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(body, Sign(body, "another-secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(body, signature: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(body, Sign(body).ToUpperInvariant().Replace("SHA256=", "sha256=")[..^2] + "00"));
        // A signature of another body does not carry over to this one.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(body, Sign(Delivery(NewDeliveryId(), "Hello"))));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task A_repeated_delivery_is_acknowledged_without_a_second_reply()
    {
        var body = Delivery(NewDeliveryId(), "Hello");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Single(_api.Calls);
    }

    [Fact]
    public async Task Asking_for_an_agent_hands_the_conversation_to_humans()
    {
        var id = NewDeliveryId();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Delivery(id, "I want an agent")));

        var calls = _api.Calls.ToArray();
        Assert.Equal([MessagesPath, ControlPath], calls.Select(c => c.Path));
        Assert.Equal("Connecting you with a person now.", (string?)calls[0].Body!["text"]);
        Assert.Equal(id + "-handover", (string?)calls[0].Body!["clientMessageId"]);
        Assert.Equal("pass-to-human", (string?)calls[1].Body!["action"]);
        Assert.All(calls, c => Assert.Equal("Bearer " + BotKey, c.Authorization));
    }

    [Fact]
    public async Task A_stale_or_future_delivery_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(Delivery(NewDeliveryId(), "Hello", sentAt: DateTimeOffset.UtcNow.AddMinutes(-6))));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(Delivery(NewDeliveryId(), "Hello", sentAt: DateTimeOffset.UtcNow.AddMinutes(10))));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task When_humans_control_the_conversation_the_bot_stays_quiet_and_does_not_retry()
    {
        _api.AnswerNext(409, "not-in-control");
        var body = Delivery(NewDeliveryId(), "Hello");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Single(_api.Calls);
    }

    [Fact]
    public async Task A_failing_api_makes_the_service_retry_and_the_retry_replies_once()
    {
        var id = NewDeliveryId();
        var body = Delivery(id, "Hello");
        _api.AnswerNext(503);
        Assert.Equal(HttpStatusCode.BadGateway, await SendAsync(body));
        // The failed attempt was not remembered as handled: the retry does the work.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(body));
        Assert.Equal([id, id], _api.Calls.Select(c => (string?)c.Body!["clientMessageId"]));
    }

    [Fact]
    public async Task A_slow_api_ends_in_a_timeout_the_service_retries()
    {
        _api.Delay = TimeSpan.FromSeconds(10);
        Assert.Equal(HttpStatusCode.GatewayTimeout, await SendAsync(Delivery(NewDeliveryId(), "Hello")));
    }

    [Fact]
    public async Task Messages_from_agents_and_other_events_are_acknowledged_without_a_reply()
    {
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Delivery(NewDeliveryId(), "On it", authorType: "agent")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(Delivery(NewDeliveryId(), "Hi", type: "conversation.created")));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task The_bot_refuses_to_start_without_its_key_and_secret()
    {
        var missing = new Dictionary<string, string?> { ["SocialCrm:BotKey"] = "", ["Webhook:Secret"] = "" };
        await using var bot = Bot(missing);
        Assert.ThrowsAny<Exception>(() => bot.CreateClient());

        // What the command line prints instead of starting.
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(missing).Build();
        services.AddCustomerReplies(configuration).AddWebhookReceiver(configuration);
        await using var provider = services.BuildServiceProvider();
        var problems = EchoBotApp.ConfigurationProblems(provider);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("SocialCrm:BotKey is not set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Webhook:Secret is not set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("I want an agent", "handover")]
    [InlineData("Can I talk to a HUMAN, please?", "handover")]
    [InlineData("The reagent arrived broken", "echo")]
    [InlineData("When do you open on Saturday?", "faq:hours")]
    [InlineData("Where is my parcel?", "faq:shipping")]
    [InlineData("I'd like a refund", "faq:returns")]
    [InlineData("How  much is the blue one?", "faq:price")]
    [InlineData("Thanks!", "echo")]
    public void The_reply_is_chosen_from_whole_words_of_the_message(string text, string kind) =>
        Assert.Equal(kind, BotReply.To(text).Kind);

    [Fact]
    public void Only_the_most_recent_deliveries_are_remembered()
    {
        var recent = new RecentDeliveries(capacity: 2);
        foreach (var id in new[] { "d1", "d2", "d3" })
        {
            Assert.Equal(DeliveryClaim.Claimed, recent.Claim(id));
            recent.Complete(id);
        }
        Assert.Equal(DeliveryClaim.AlreadyHandled, recent.Claim("d3"));
        Assert.Equal(DeliveryClaim.Claimed, recent.Claim("d1"));
        Assert.Equal(DeliveryClaim.InProgress, recent.Claim("d1"));
    }

    private static WebApplicationFactory<EchoBotApp> Bot(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<EchoBotApp>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        });

    private static string NewDeliveryId() => "dlv_" + Guid.NewGuid().ToString("N")[..20];

    private static byte[] Delivery(string id, string text, string type = "message.created", string authorType = "customer", DateTimeOffset? sentAt = null)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            id,
            type,
            brandId = "acme",
            conversationId = "cv_1",
            occurredAt = now.AddSeconds(-1),
            sentAt = sentAt ?? now,
            data = new { messageId = "msg_1", seq = 1, authorType, authorId = "cu_1", text },
        });
    }

    // Computed here rather than with the bot's own code, so the test holds the bot to the contract.
    private static string Sign(byte[] body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private Task<HttpStatusCode> SendAsync(byte[] body) => SendAsync(body, Sign(body));

    private async Task<HttpStatusCode> SendAsync(byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        using var json = JsonDocument.Parse(body);
        request.Headers.Add("X-SocialCrm-Event", json.RootElement.GetProperty("type").GetString());
        request.Headers.Add("X-SocialCrm-Delivery", json.RootElement.GetProperty("id").GetString());
        if (signature is not null) request.Headers.Add("X-SocialCrm-Signature", signature);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }
}
