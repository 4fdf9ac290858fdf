using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SocialCrm.LoadTest.Service;

/// <summary>What one inbound POST came to: the ack, or an error kind (for counting) with a sample of its detail.</summary>
public readonly record struct InboundOutcome(InboundAccepted? Accepted, string? ErrorKind, string? ErrorDetail);

/// <summary>
/// A brand of its own (so runs never see each other's data) with one web-chat channel on the
/// service under test, and the pooled HTTP client that drives it with the brand's admin key.
/// </summary>
public sealed class BrandSession : IDisposable
{
    public const string ChannelId = "webchat";

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    // One pooled client per node of a cluster; the first also serves setup and reads.
    private readonly HttpClient[] _nodes;
    private readonly string _inboundPath;

    private BrandSession(HttpClient[] nodes, string brandId)
    {
        _nodes = nodes;
        _http = nodes[0];
        BrandId = brandId;
        _inboundPath = InboundPath(ChannelId);
    }

    public string BrandId { get; }

    public int Nodes => _nodes.Length;

    /// <summary>
    /// A session against the load tool's own bare endpoint (the <c>bare</c> mode): no brand is
    /// created, since that endpoint only parses the inbound JSON and answers 202.
    /// </summary>
    public static BrandSession ForBareEndpoint(IReadOnlyList<Uri> urls, int connections) =>
        new(urls.Select(u => NewClient(u, PerNode(connections, urls.Count))).ToArray(), "bare");

    /// <summary>The pooled client, authorized with the brand's admin key, for the routes this class does not wrap (30 s per request).</summary>
    public HttpClient Http => _http;

    /// <summary>
    /// A client with the same base address and admin key but no overall timeout, for requests that
    /// may run for minutes (an export, an erasure, a streamed report): the caller bounds each one
    /// with its own cancellation token.
    /// </summary>
    public HttpClient CreateUntimedClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = _http.DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>Creates the brand with the bootstrap key, then its channel with the brand's admin key.</summary>
    public static Task<BrandSession> CreateAsync(Uri url, string bootstrapKey, int connections, CancellationToken cancellationToken) =>
        CreateAsync([url], bootstrapKey, connections, cancellationToken);

    /// <summary>The same on a cluster: set up through the first node, then every node is driven with the brand's admin key.</summary>
    public static async Task<BrandSession> CreateAsync(IReadOnlyList<Uri> urls, string bootstrapKey, int connections, CancellationToken cancellationToken)
    {
        var nodes = urls.Select(u => NewClient(u, PerNode(connections, urls.Count))).ToArray();
        var http = nodes[0];
        try
        {
            var brandId = $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/brands")
            {
                Content = Json(new CreateBrandRequest(brandId, "Benchmark " + brandId), WireJson.Default.CreateBrandRequest),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bootstrapKey);
            using var response = await http.SendAsync(request, cancellationToken);
            await EnsureSuccessAsync(response, "Creating the brand", cancellationToken);
            var created = await response.Content.ReadFromJsonAsync(WireJson.Default.BrandCreated, cancellationToken)
                ?? throw new InvalidOperationException("Creating the brand returned no body.");
            foreach (var node in nodes) node.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.AdminKey);

            var session = new BrandSession(nodes, brandId);
            await session.CreateChannelAsync(cancellationToken);
            return session;
        }
        catch
        {
            foreach (var node in nodes) node.Dispose();
            throw;
        }
    }

    private static int PerNode(int connections, int nodes) => Math.Max(1, (connections + nodes - 1) / nodes);

    /// <summary>One inbound message on a private thread; never throws for a failed request, so a load loop just counts it.</summary>
    public Task<InboundOutcome> SendInboundAsync(string externalMessageId, string externalUserId, string text,
        CancellationToken cancellationToken) =>
        PostInboundAsync(_http, _inboundPath, externalMessageId, externalUserId, text, cancellationToken);

    /// <summary>The same through one node of the cluster: connection <paramref name="worker"/> always talks to the same node.</summary>
    public Task<InboundOutcome> SendInboundAsync(int worker, string externalMessageId, string externalUserId, string text,
        CancellationToken cancellationToken) =>
        PostInboundAsync(_nodes[worker % _nodes.Length], _inboundPath, externalMessageId, externalUserId, text, cancellationToken);

    /// <summary>The same, on another web-chat channel of the brand (see <see cref="CreateWebChatChannelAsync"/>).</summary>
    public Task<InboundOutcome> SendInboundAsync(string channelId, string externalMessageId, string externalUserId, string text,
        CancellationToken cancellationToken) =>
        PostInboundAsync(_http, InboundPath(channelId), externalMessageId, externalUserId, text, cancellationToken);

    private static async Task<InboundOutcome> PostInboundAsync(HttpClient http, string inboundPath, string externalMessageId, string externalUserId, string text,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new InboundMessageRequest(externalMessageId, externalUserId, text, new InboundThread("private")),
            WireJson.Default.InboundMessageRequest);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        try
        {
            using var response = await http.PostAsync(inboundPath, content, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                var accepted = await response.Content.ReadFromJsonAsync(WireJson.Default.InboundAccepted, cancellationToken);
                return accepted is null ? new(null, "empty ack", null) : new(accepted, null, null);
            }
            // Read the problem body: it says why, and leaves the connection reusable.
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            return new(null, $"http {(int)response.StatusCode}", Shorten(problem));
        }
        catch (HttpRequestException error)
        {
            return new(null, $"connection ({error.HttpRequestError})", Shorten(error.Message));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, "timeout", $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>One page of a conversation's messages in seq order; throws on failure, since verification must not pass on a read it could not do.</summary>
    public async Task<MessagePage> ReadMessagesAsync(string conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var path = $"v1/brands/{BrandId}/conversations/{Uri.EscapeDataString(conversationId)}/messages?afterSeq={afterSeq}&limit={limit}";
        using var response = await _http.GetAsync(path, cancellationToken);
        await EnsureSuccessAsync(response, $"Reading conversation {conversationId}", cancellationToken);
        return await response.Content.ReadFromJsonAsync(WireJson.Default.MessagePage, cancellationToken)
            ?? throw new InvalidOperationException($"Reading conversation {conversationId} returned no body.");
    }

    private Task CreateChannelAsync(CancellationToken cancellationToken) =>
        CreateWebChatChannelAsync(ChannelId, "bench-site", cancellationToken);

    /// <summary>One more web-chat channel of the brand; throws on failure.</summary>
    public async Task CreateWebChatChannelAsync(string channelId, string externalAccountId, CancellationToken cancellationToken)
    {
        using var content = Json(new CreateChannelRequest(channelId, "webchat", externalAccountId, "Benchmark web chat " + channelId),
            WireJson.Default.CreateChannelRequest);
        using var response = await _http.PostAsync($"v1/brands/{BrandId}/channels", content, cancellationToken);
        await EnsureSuccessAsync(response, $"Creating the channel {channelId}", cancellationToken);
    }

    private string InboundPath(string channelId) => $"v1/brands/{BrandId}/channels/{Uri.EscapeDataString(channelId)}/inbound";

    private static HttpClient NewClient(Uri url, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per concurrent caller, kept open for the whole run.
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // A base path without its trailing slash would lose its last segment when relative paths resolve.
        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        return new HttpClient(handler) { BaseAddress = baseUrl, Timeout = RequestTimeout };
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = JsonType;
        return content;
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {Shorten(body)}");
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }
}
