using SocialCrm.Abstractions.Security;
using System.Text;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Brands;
using SocialCrm.Grains;
using SocialCrm.Grains.Conversations;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

/// <summary>The brand's live events as Server-Sent Events: new messages, assignments, status and control changes.</summary>
public static class EventsApi
{
    public static void MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/brands/{brandId}/events", Stream)
            .RequireAuthorization(Policies.For(RoleSets.LiveEvents))
            .Produces(200, contentType: "text/event-stream")
            .ProducesValidationProblem();
    }

    /// <summary>
    /// Streams until the client leaves or the node stops. One batch of entries at a time is held, so a
    /// slow client slows its own reads and nothing piles up; a client that resumes sends <c>Last-Event-ID</c>.
    /// </summary>
    private static async Task Stream(string brandId, HttpContext http, BrandEventFeed feed, IHostApplicationLifetime lifetime,
        TimeProvider clock, EventStreamSlots slots, GrainReferences grains)
    {
        var lastEventId = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        if (!string.IsNullOrEmpty(lastEventId) && !BrandEventFeed.IsEventId(lastEventId))
        {
            var errors = new FieldErrors();
            errors.Add("Last-Event-ID", "must be the id of an event this stream sent.");
            await errors.ToProblem().ExecuteAsync(http);
            return;
        }

        var keyId = http.User.FindFirst(ApiKeyClaims.KeyId)?.Value ?? "";
        using var slot = slots.TryOpen(keyId);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await Problems.RateLimited("This key, or this node, has as many event streams open as it may; close one or retry later.").ExecuteAsync(http);
            return;
        }
        var keyHash = http.User.FindFirst(ApiKeyClaims.KeyHash)?.Value;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        // Proxies that buffer (nginx) would hold the events back.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var options = feed.Options;
        var poll = TimeSpan.FromMilliseconds(Math.Max(10, options.PollIntervalMs));
        var heartbeat = TimeSpan.FromSeconds(Math.Max(1, options.HeartbeatSeconds));
        var keyCheck = TimeSpan.FromSeconds(Math.Max(1, options.KeyCheckSeconds));
        var cursor = feed.Start(string.IsNullOrEmpty(lastEventId) ? null : lastEventId);
        try
        {
            // The reconnection delay, and a first line so the client knows the stream is open.
            await WriteAsync(http, "retry: 2000\n: stream open\n\n", stop.Token);
            var lastWrite = clock.GetUtcNow();
            var lastKeyCheck = lastWrite;
            while (!stop.IsCancellationRequested)
            {
                if (clock.GetUtcNow() - lastKeyCheck >= keyCheck)
                {
                    // A key revoked while its stream is open: the stream ends, and the reconnection is refused.
                    if (keyHash is null || await grains.Get<IApiKeyGrain>(keyHash).Authenticate() is null) break;
                    lastKeyCheck = clock.GetUtcNow();
                }
                var batch = await feed.ReadAsync(brandId, cursor, stop.Token);
                cursor = batch.Cursor;
                if (batch.Events.Count > 0)
                {
                    var text = new StringBuilder();
                    foreach (var e in batch.Events) text.Append("id: ").Append(e.Id).Append("\nevent: ").Append(e.Type).Append("\ndata: ").Append(e.Data).Append("\n\n");
                    await WriteAsync(http, text.ToString(), stop.Token);
                    lastWrite = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - lastWrite >= heartbeat)
                {
                    await WriteAsync(http, ": heartbeat\n\n", stop.Token);
                    lastWrite = clock.GetUtcNow();
                }
                if (!batch.More) await Task.Delay(poll, clock, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left or the node is stopping: the stream simply ends, and the client resumes elsewhere.
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync(text, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }
}
