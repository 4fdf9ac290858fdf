using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Tests.Infrastructure;

/// <summary>
/// The outside world for web chat replies: a real HTTP endpoint on loopback that receives the
/// service's deliveries, checks their signature, and fails on purpose when told to.
/// </summary>
public sealed class FakeWebChatEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private FakeWebChatEndpoint(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Deliveries answered 2xx, in arrival order.</summary>
    public ConcurrentQueue<JsonNode> Delivered { get; } = new();

    /// <summary>Every attempt's delivery id header, answered or not, in arrival order.</summary>
    public ConcurrentQueue<string> AttemptedIds { get; } = new();

    /// <summary>The headers of the answered deliveries, in arrival order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> DeliveredHeaders { get; } = new();

    public int Attempts;

    /// <summary>The secret deliveries must be signed with (HMAC-SHA256 of the body).</summary>
    public string? Secret { get; set; }

    /// <summary>Answer 503 to the next N attempts (int.MaxValue: always).</summary>
    public void FailNext(int attempts) => Volatile.Write(ref _failuresLeft, attempts);

    public static async Task<FakeWebChatEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new FakeWebChatEndpoint(app);
        app.MapPost("/deliveries", endpoint.ReceiveAsync);
        await app.StartAsync();
        endpoint.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/deliveries";
        return endpoint;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        Interlocked.Increment(ref Attempts);
        AttemptedIds.Enqueue(request.Headers["X-SocialCrm-Delivery"].ToString());
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (Secret is not null)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
            if (request.Headers["X-SocialCrm-Signature"] != expected) return Results.StatusCode(401);
        }
        if (Interlocked.Decrement(ref _failuresLeft) >= 0) return Results.StatusCode(503);
        Interlocked.Exchange(ref _failuresLeft, 0);
        Delivered.Enqueue(JsonNode.Parse(body)!);
        DeliveredHeaders.Enqueue(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
