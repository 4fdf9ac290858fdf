using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocialCrm.Testing;

/// <summary>One call the service made to a platform's API (a form body is recorded as an object of its fields).</summary>
public sealed record PlatformApiCall(string Path, string? Authorization, JsonNode? Body);

/// <summary>
/// The outside world for platform replies: Meta's Graph API under <c>/meta</c> and X's API under
/// <c>/x</c>, a real HTTP server on loopback that records every call and answers as told.
/// </summary>
public sealed class FakePlatformApi : LoopbackFake
{
    private readonly ConcurrentQueue<(int Status, string Body)> _answers = new();
    private int _received;

    public string MetaBaseUrl => Address + "/meta";

    public string XBaseUrl => Address + "/x";

    /// <summary>Where X refreshes OAuth 2.0 user tokens.</summary>
    public const string XTokenPath = "/x/2/oauth2/token";

    /// <summary>X's answer to a refresh token it no longer takes.</summary>
    public static (int, string) XRefreshRefused =>
        (400, """{"error":"invalid_request","error_description":"Value passed for the token was invalid."}""");

    /// <summary>X's answer to a call under an expired or revoked access token.</summary>
    public static (int, string) XUnauthorized => (401, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""");

    /// <summary>Every call, answered or refused, in arrival order.</summary>
    public ConcurrentQueue<PlatformApiCall> Calls { get; } = new();

    /// <summary>The next calls get these answers, in order; after them every call gets 200 and the id <c>out-{n}</c>, n counting calls.</summary>
    public void AnswerNext(params (int Status, string Body)[] answers)
    {
        foreach (var answer in answers) _answers.Enqueue(answer);
    }

    public Dictionary<string, string?> Configure(Dictionary<string, string?> settings) =>
        new(settings)
        {
            ["Platforms:Meta:GraphBaseUrl"] = MetaBaseUrl,
            ["Platforms:X:ApiBaseUrl"] = XBaseUrl,
            ["Outbound:InitialBackoffMs"] = "50",
            ["Outbound:MaxBackoffMs"] = "200",
            ["Outbound:SweepIntervalMs"] = "200",
            ["Outbound:SweepAfterMs"] = "100",
        };

    public static async Task<FakePlatformApi> StartAsync()
    {
        var api = new FakePlatformApi();
        await api.ListenAsync(app => app.MapPost("/{**path}", api.ReceiveAsync));
        return api;
    }

    /// <summary>Waits until <paramref name="count"/> calls have arrived (or 20 s pass), and returns them.</summary>
    public async Task<List<PlatformApiCall>> CallsAsync(int count)
    {
        for (var attempt = 0; attempt < 200 && Calls.Count < count; attempt++) await Task.Delay(100);
        return Calls.ToList();
    }

    /// <summary>
    /// The answer each API gives to a message it took: Meta's Send API (which names the recipient, as
    /// <c>psid-of-{comment}</c> for a private reply by comment), comments and posts, WhatsApp, X.
    /// </summary>
    private static object AcceptedAs(int n, string path, JsonNode? body) => path switch
    {
        // X's OAuth 2.0 refresh: a new pair every time, the refresh token rotated.
        XTokenPath => new
        {
            token_type = "bearer", expires_in = 7200, access_token = $"new-access-{n}", scope = "tweet.write dm.write offline.access",
            refresh_token = $"new-refresh-{n}",
        },
        _ when path.StartsWith("/x/", StringComparison.Ordinal) => new { data = new { id = $"out-{n}" } },
        _ when path.EndsWith("/me/messages", StringComparison.Ordinal) => new
        {
            recipient_id = body?["recipient"]?["comment_id"] is { } comment ? $"psid-of-{comment}" : body?["recipient"]?["id"]?.ToString(),
            message_id = $"out-{n}",
        },
        _ when path.StartsWith("/meta/", StringComparison.Ordinal) && path.EndsWith("/messages", StringComparison.Ordinal) =>
            new { messaging_product = "whatsapp", messages = new[] { new { id = $"out-{n}" } } },
        _ => new { id = $"out-{n}" },
    };

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        JsonNode? body;
        if (request.HasFormContentType)
        {
            // X's token endpoint takes a form: recorded as an object of its fields.
            var form = await request.ReadFormAsync();
            body = new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))));
        }
        else
        {
            using var reader = new StreamReader(request.Body);
            body = JsonNode.Parse(await reader.ReadToEndAsync());
        }
        // Numbered as they arrive, and answered from their own body: calls of two conversations may overlap.
        var n = Interlocked.Increment(ref _received);
        Calls.Enqueue(new PlatformApiCall(request.Path.Value!, request.Headers.Authorization.ToString(), body));
        return _answers.TryDequeue(out var answer)
            ? Results.Content(answer.Body, "application/json", statusCode: answer.Status)
            : Results.Json(AcceptedAs(n, request.Path.Value!, body));
    }
}
