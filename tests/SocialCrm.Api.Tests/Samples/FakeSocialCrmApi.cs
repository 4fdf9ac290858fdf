using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SocialCrm.Api.Tests.Samples;

/// <summary>
/// The service as the sample bot sees it: a real HTTP endpoint on loopback that records every call
/// and answers like the API would (201 to a reply, 200 to a control change), or as told to.
/// </summary>
public sealed class FakeSocialCrmApi : LoopbackFake
{
    /// <summary>One call as received.</summary>
    public sealed record Call(string Path, string? Authorization, JsonNode? Body);

    private readonly ConcurrentQueue<(int Status, string? Slug)> _answers = new();

    public string Url => Address;

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>How long each call takes before it is answered.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Answer the next call with this status (and problem slug) instead of success.</summary>
    public void AnswerNext(int status, string? slug = null) => _answers.Enqueue((status, slug));

    public static async Task<FakeSocialCrmApi> StartAsync()
    {
        var api = new FakeSocialCrmApi();
        await api.ListenAsync(app => app.MapPost("/{**path}", api.ReceiveAsync));
        return api;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        Calls.Enqueue(new Call(request.Path.Value!, request.Headers.Authorization.ToString(), body));
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, request.HttpContext.RequestAborted);
        if (_answers.TryDequeue(out var answer))
        {
            return answer.Slug is null
                ? Results.StatusCode(answer.Status)
                : Results.Problem(statusCode: answer.Status, type: "urn:socialcrm:problem:" + answer.Slug);
        }
        return request.Path.Value!.EndsWith("/control", StringComparison.Ordinal)
            ? Results.Ok(new { controller = "human" })
            : Results.Json(new { messageId = "msg_" + Calls.Count, seq = Calls.Count, duplicate = false }, statusCode: 201);
    }
}
