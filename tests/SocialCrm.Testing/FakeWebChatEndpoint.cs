using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocialCrm.Testing;

/// <summary>
/// The outside world for web chat replies: a real HTTP endpoint on loopback that receives the
/// service's deliveries, checks their signature, and fails on purpose when told to.
/// </summary>
public sealed class FakeWebChatEndpoint : LoopbackFake
{
    private int _failuresLeft;

    public string Url => Address + "/deliveries";

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
        var endpoint = new FakeWebChatEndpoint();
        await endpoint.ListenAsync(app => app.MapPost("/deliveries", endpoint.ReceiveAsync));
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
}
