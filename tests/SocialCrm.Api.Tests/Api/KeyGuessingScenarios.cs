using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Orleans;
using Orleans.Runtime;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Someone guessing keys: each client address may fail authentication a few times before it is
/// refused with 429 and Retry-After, a guessed key wakes no grain, and a short bootstrap key is
/// refused at start.
/// </summary>
public abstract class KeyGuessingScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private const int Burst = 5;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Failed_keys_from_one_address_are_refused_with_Retry_After_while_other_addresses_and_good_keys_elsewhere_still_work()
    {
        await using var node = await StartAsync(failuresPerMinute: 6);
        var (brandId, adminKey) = await node.NewBrandAsync();

        using var guesser = From(node, IPAddress.Parse("127.0.0.2"));
        for (var i = 0; i < Burst; i++)
            (await guesser.Get($"/v1/brands/{brandId}/channels", RandomKey())).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");

        // Past its budget the address is refused before any key is looked at, even the right one.
        using var response = await guesser.SendAsync(Request($"/v1/brands/{brandId}/channels", RandomKey()), Cancel);
        (await Reply.ReadAsync(response)).AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single()), 1, 60);
        (await guesser.Get($"/v1/brands/{brandId}/channels", adminKey)).AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        // Requests without a key are not what is limited: health stays reachable.
        using (var health = await guesser.GetAsync("/health/live", Cancel)) Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var colleague = From(node, IPAddress.Parse("127.0.0.3"));
        Assert.Equal(HttpStatusCode.OK, (await colleague.Get($"/v1/brands/{brandId}/channels", adminKey)).Status);

        // A key this node has seen work is not made to wait for its neighbours' guesses (a shared proxy or NAT).
        Assert.Equal(HttpStatusCode.OK, (await guesser.Get($"/v1/brands/{brandId}/channels", adminKey)).Status);
        (await guesser.Get($"/v1/brands/{brandId}/channels", RandomKey())).AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task Guesses_sent_all_at_once_cannot_outrun_the_allowance()
    {
        await using var node = await StartAsync(failuresPerMinute: 6);
        var (brandId, _) = await node.NewBrandAsync();
        using var guesser = From(node, IPAddress.Parse("127.0.0.6"));
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => guesser.Get($"/v1/brands/{brandId}/channels", RandomKey())));
        // Each key is paid for before it is tested: at most the burst were tested (and a token refilled meanwhile).
        Assert.InRange(replies.Count(r => r.Status == HttpStatusCode.Unauthorized), Burst, Burst + 1);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Unauthorized), r => r.AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited"));
    }

    [Fact]
    public async Task Good_keys_never_use_up_the_budget()
    {
        await using var node = await StartAsync(failuresPerMinute: 6);
        var (brandId, adminKey) = await node.NewBrandAsync();
        using var client = From(node, IPAddress.Parse("127.0.0.4"));
        for (var i = 0; i < Burst * 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.Get($"/v1/brands/{brandId}/channels", adminKey)).Status);
    }

    [Fact]
    public async Task Wrong_operator_keys_on_the_login_form_are_throttled_too()
    {
        await using var node = await StartAsync(failuresPerMinute: 6);
        using var browser = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = true, CookieContainer = new(), ConnectCallback = ConnectFrom(IPAddress.Parse("127.0.0.5")),
        }) { BaseAddress = node.ClientOptions.BaseAddress };
        for (var i = 0; i < Burst; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(browser, RandomKey())).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, ServiceHost.BootstrapSecret)).StatusCode);
    }

    [Fact]
    public async Task Guessed_keys_wake_no_key_grain()
    {
        // Throttling off: what is measured is what each guess costs when it does get through.
        await using var node = await StartAsync(failuresPerMinute: 0);
        var (brandId, adminKey) = await node.NewBrandAsync();
        using var client = node.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.Get($"/v1/brands/{brandId}/channels", adminKey)).Status);

        for (var i = 0; i < 200; i++)
            (await client.Get($"/v1/brands/{brandId}/channels", RandomKey())).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");

        var statistics = await node.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics(Cancel);
        var keyGrains = statistics.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Assert.InRange(keyGrains, 1, 2);   // the admin key (and the bootstrap's brand creation woke no other)
    }

    [Fact]
    public async Task Keys_issued_before_the_key_index_existed_keep_working_after_an_upgrade()
    {
        var storage = await backend.NewStorageAsync();
        string brandId, adminKey;
        await using (var before = await backend.StartNodeAsync(storage))
        {
            (brandId, adminKey) = await before.NewBrandAsync();
        }
        // As a store written by a version without the index would be.
        await StoreAccess.ExecuteAsync(storage, "DELETE FROM api_keys");

        await using var after = await backend.StartNodeAsync(storage);
        using var admin = after.Client(adminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetJson($"/v1/brands/{brandId}/channels")).Status);
    }

    [Fact]
    public async Task A_configured_bootstrap_key_shorter_than_32_characters_stops_the_node_from_starting()
    {
        var storage = await backend.NewStorageAsync();
        var node = new ServiceHost(storage, configure: web => web.UseSetting("Auth:BootstrapKey", "change-me"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => node.StartedAsync());
        Assert.Contains("at least 32 characters", Flatten(error));
        await node.DisposeAsync();
    }

    private async Task<ServiceHost> StartAsync(int failuresPerMinute)
    {
        var settings = await backend.NewStorageAsync();
        settings["RateLimiting:FailedSignInsPerMinutePerAddress"] = failuresPerMinute.ToString();
        settings["RateLimiting:FailedSignInBurstPerAddress"] = Burst.ToString();
        return await backend.StartNodeAsync(settings);
    }

    private static string RandomKey() =>
        "sck_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static HttpRequestMessage Request(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    /// <summary>A client whose connections come from another loopback address, as a second machine's would.</summary>
    private static HttpClient From(ServiceHost node, IPAddress source) =>
        new(new SocketsHttpHandler { ConnectCallback = ConnectFrom(source) }) { BaseAddress = node.ClientOptions.BaseAddress };

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectFrom(IPAddress source) =>
        async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var login = await browser.GetStringAsync("/dashboard/login", Cancel);
        var token = System.Text.RegularExpressions.Regex.Match(login, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("key", key)]),
        };
        return await browser.SendAsync(request, Cancel);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(Flatten))
            : error.Message + (error.InnerException is null ? "" : " | " + Flatten(error.InnerException));
}

internal static class KeyedRequests
{
    public static async Task<Reply> Get(this HttpClient client, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await Reply.ReadAsync(response);
    }
}

[Trait("Backend", "sqlite")]
public sealed class KeyGuessingOnSqlite() : KeyGuessingScenarios<SqliteBackend>(new SqliteBackend());

[Trait("Backend", "postgres")]
public sealed class KeyGuessingOnPostgres() : KeyGuessingScenarios<PostgresBackend>(new PostgresBackend());
