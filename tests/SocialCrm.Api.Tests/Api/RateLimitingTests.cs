using System.Net;
using System.Net.Http.Json;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// A node with tiny limits: a key may make 4 requests at once and 2 a second after that; a channel
/// takes 6 inbound messages at once and 2 a second.
/// </summary>
public sealed class RateLimitedNode : IAsyncLifetime
{
    public const int KeyBurst = 4;
    public const int ChannelBurst = 6;

    private readonly SqliteBackend _backend = new();
    private ServiceHost? _node;

    public ServiceHost Node => _node ?? throw new InvalidOperationException("The node did not start.");

    public async ValueTask InitializeAsync()
    {
        var settings = await _backend.NewStorageAsync();
        settings["RateLimiting:PermitsPerSecondPerKey"] = "2";
        settings["RateLimiting:BurstPerKey"] = KeyBurst.ToString();
        settings["RateLimiting:PermitsPerSecondPerChannel"] = "2";
        settings["RateLimiting:BurstPerChannel"] = ChannelBurst.ToString();
        _node = await _backend.StartNodeAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}

/// <summary>
/// Rate limits per key and per channel: refused with 429 <c>rate-limited</c> and <c>Retry-After</c>,
/// refused requests store nothing, operations endpoints are never limited.
/// A bucket is full when its key or channel is first seen and gains nothing for the next 950 ms, so
/// requests sent together to fresh keys and channels meet exactly the configured bursts.
/// </summary>
public sealed class RateLimitingTests(RateLimitedNode fixture) : IClassFixture<RateLimitedNode>
{
    private ServiceHost Node => fixture.Node;

    [Fact]
    public async Task A_key_over_its_limit_is_refused_with_Retry_After_stores_nothing_and_works_again_after_waiting()
    {
        var (brandId, adminKey, channels) = await NewBrandAsync(channelCount: 1);
        var key = await NewKeyAsync(brandId, adminKey, "ingest");
        using var ingest = Node.Client(key);
        var path = InboundPath(brandId, channels[0]);

        var sent = await SendManyAsync(ingest, path, RateLimitedNode.KeyBurst + 2, "m");

        var accepted = sent.Where(s => s.Reply.Status == HttpStatusCode.Accepted).ToList();
        var refused = sent.Where(s => s.Reply.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(RateLimitedNode.KeyBurst, accepted.Count);
        Assert.Equal(2, refused.Count);
        foreach (var (reply, retryAfter, _) in refused)
        {
            reply.AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {retryAfter}");
        }

        // Only the accepted messages were stored.
        using var admin = Node.Client(adminKey);
        var messages = await PacedAsync(() => admin.GetAsync(
            $"/v1/brands/{brandId}/conversations/{accepted[0].Reply.Str("conversationId")}/messages"));
        Assert.Equal(accepted.Select(a => "text " + a.ExternalMessageId).Order(),
            messages.Body!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()).Order());

        // The bucket is topped up on a 100 ms tick, so the refill can come a tick after Retry-After.
        await Task.Delay(refused.Max(r => r.RetryAfter!.Value) + TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
        var again = await SendAsync(ingest, path, refused[0].ExternalMessageId);
        Assert.Equal(HttpStatusCode.Accepted, again.Reply.Status);
        Assert.False(again.Reply.Body!["duplicate"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_second_key_of_the_same_brand_is_not_slowed_by_the_first_keys_exhaustion()
    {
        var (brandId, adminKey, channels) = await NewBrandAsync(channelCount: 2);
        using var firstClient = Node.Client(await NewKeyAsync(brandId, adminKey, "ingest"));
        using var secondClient = Node.Client(await NewKeyAsync(brandId, adminKey, "ingest"));

        var exhausted = await SendManyAsync(firstClient, InboundPath(brandId, channels[0]), RateLimitedNode.KeyBurst + 1, "a");
        Assert.Contains(exhausted, s => s.Reply.Status == HttpStatusCode.TooManyRequests);

        var other = await SendManyAsync(secondClient, InboundPath(brandId, channels[1]), RateLimitedNode.KeyBurst, "b");
        Assert.All(other, s => Assert.Equal(HttpStatusCode.Accepted, s.Reply.Status));
    }

    [Fact]
    public async Task A_channel_over_its_limit_is_refused_even_spread_over_two_keys_and_another_channel_is_unaffected()
    {
        var (brandId, adminKey, channels) = await NewBrandAsync(channelCount: 2);
        using var firstClient = Node.Client(await NewKeyAsync(brandId, adminKey, "ingest"));
        using var secondClient = Node.Client(await NewKeyAsync(brandId, adminKey, "ingest"));
        var busy = InboundPath(brandId, channels[0]);

        // 3 + 4 messages: each key stays within its own burst of 4, together they pass the channel's 6.
        var sent = (await Task.WhenAll(
                SendManyAsync(firstClient, busy, 3, "a"),
                SendManyAsync(secondClient, busy, RateLimitedNode.KeyBurst, "b")))
            .SelectMany(s => s).ToList();
        Assert.Equal(RateLimitedNode.ChannelBurst, sent.Count(s => s.Reply.Status == HttpStatusCode.Accepted));
        var refused = Assert.Single(sent, s => s.Reply.Status == HttpStatusCode.TooManyRequests);
        refused.Reply.AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {refused.RetryAfter}");

        var conversationId = sent.First(s => s.Reply.Status == HttpStatusCode.Accepted).Reply.Str("conversationId");
        using var admin = Node.Client(adminKey);
        var messages = await PacedAsync(() => admin.GetAsync($"/v1/brands/{brandId}/conversations/{conversationId}/messages"));
        Assert.Equal(RateLimitedNode.ChannelBurst, messages.Body!["items"]!.AsArray().Count);

        // The first key has a permit left, and the other channel has all of its own.
        var elsewhere = await SendAsync(firstClient, InboundPath(brandId, channels[1]), "c-1");
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.Reply.Status);
    }

    [Fact]
    public async Task Health_and_OpenAPI_answer_even_with_a_key_that_is_over_its_limit()
    {
        var (brandId, adminKey, _) = await NewBrandAsync(channelCount: 0);
        var key = await NewKeyAsync(brandId, adminKey, "agent");
        using var agent = Node.Client(key);
        var replies = await Task.WhenAll(Enumerable.Range(0, RateLimitedNode.KeyBurst + 1)
            .Select(_ => agent.GetJson($"/v1/brands/{brandId}/conversations")));
        Assert.Contains(replies, r => r.Status == HttpStatusCode.TooManyRequests);

        foreach (var path in new[] { "/health/live", "/health/ready", "/openapi/v1.json" })
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, RateLimitedNode.KeyBurst + 1).Select(_ => agent.GetJson(path)));
            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, $"{path}: {(int)a.Status} {a.Raw}"));
        }
    }

    private sealed record Sent(Reply Reply, TimeSpan? RetryAfter, string ExternalMessageId);

    private static string InboundPath(string brandId, string channelId) => $"/v1/brands/{brandId}/channels/{channelId}/inbound";

    /// <summary>One inbound message of customer u-1, whose text is "text " and its id.</summary>
    private static async Task<Sent> SendAsync(HttpClient client, string path, string externalMessageId)
    {
        using var response = await client.PostAsJsonAsync(path, BrandSetup.Inbound(externalMessageId, "u-1", "text " + externalMessageId));
        return new Sent(await Reply.ReadAsync(response), response.Headers.RetryAfter?.Delta, externalMessageId);
    }

    /// <summary>Sends <paramref name="count"/> messages at once.</summary>
    private static Task<Sent[]> SendManyAsync(HttpClient client, string path, int count, string prefix) =>
        Task.WhenAll(Enumerable.Range(1, count).Select(i => SendAsync(client, path, $"{prefix}-{i}")));

    /// <summary>
    /// A call that honours Retry-After, as a well-behaved client does: setup and read-backs share the
    /// tiny limits of the keys under test, and must not fail on them.
    /// </summary>
    private static async Task<Reply> PacedAsync(Func<Task<HttpResponseMessage>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await call();
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 10) return await Reply.ReadAsync(response);
            await Task.Delay((response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)) + TimeSpan.FromMilliseconds(250));
        }
    }

    private async Task<(string BrandId, string AdminKey, List<string> Channels)> NewBrandAsync(int channelCount)
    {
        var brandId = TestIds.New("brand");
        using var bootstrap = Node.Client(ServiceHost.BootstrapSecret);
        var brand = await PacedAsync(() => bootstrap.PostAsJsonAsync("/v1/brands", new { id = brandId, name = "Brand " + brandId }));
        Assert.Equal(HttpStatusCode.Created, brand.Status);
        var adminKey = brand.Str("adminKey");
        using var admin = Node.Client(adminKey);
        var channels = new List<string>();
        for (var i = 0; i < channelCount; i++)
        {
            var channelId = TestIds.New("ch");
            var created = await PacedAsync(() => admin.PostAsJsonAsync($"/v1/brands/{brandId}/channels",
                new { id = channelId, platform = "webchat", externalAccountId = "acct-" + channelId, displayName = "Channel" }));
            Assert.Equal(HttpStatusCode.Created, created.Status);
            channels.Add(channelId);
        }
        return (brandId, adminKey, channels);
    }

    private async Task<string> NewKeyAsync(string brandId, string adminKey, string role)
    {
        using var admin = Node.Client(adminKey);
        var created = await PacedAsync(() => admin.PostAsJsonAsync($"/v1/brands/{brandId}/api-keys", new { name = role + "-key", role }));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Str("key");
    }
}
