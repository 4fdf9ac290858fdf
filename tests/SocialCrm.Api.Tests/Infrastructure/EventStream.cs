using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>One Server-Sent Event as a client received it.</summary>
public sealed record StreamedEvent(string? Id, string Type, JsonNode? Data, string RawData, DateTimeOffset ReceivedAt);

/// <summary>A client of a Server-Sent Events route: it reads the stream in the background and hands over events as they come.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<StreamedEvent> _events = Channel.CreateUnbounded<StreamedEvent>();
    private readonly Task _reading;

    private EventStream(HttpResponseMessage response)
    {
        _response = response;
        _reading = response.IsSuccessStatusCode ? ReadAsync() : Task.CompletedTask;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Completes when the server ends the stream (and the events read before are taken).</summary>
    public Task Ended => _events.Reader.Completion;

    public static async Task<EventStream> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStream(response);
    }

    /// <summary>The next event, or null when none came in time.</summary>
    public async Task<StreamedEvent?> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Events up to the first that matches; fails if none matches in time.</summary>
    public async Task<(StreamedEvent Match, List<StreamedEvent> Before)> WaitForAsync(Func<StreamedEvent, bool> match, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        var before = new List<StreamedEvent>();
        while (DateTimeOffset.UtcNow < deadline)
        {
            var next = await NextAsync(deadline - DateTimeOffset.UtcNow);
            if (next is null) break;
            if (match(next)) return (next, before);
            before.Add(next);
        }
        throw new Xunit.Sdk.XunitException($"No matching event within {within.TotalSeconds} s; got: {string.Join(", ", before.Select(e => e.Type))}");
    }

    /// <summary>Every event that arrives within the time.</summary>
    public async Task<List<StreamedEvent>> DrainAsync(TimeSpan during)
    {
        var deadline = DateTimeOffset.UtcNow + during;
        var events = new List<StreamedEvent>();
        while (DateTimeOffset.UtcNow < deadline && await NextAsync(deadline - DateTimeOffset.UtcNow) is { } next) events.Add(next);
        return events;
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body);
            string? id = null, type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        var raw = string.Join('\n', data);
                        JsonNode? parsed = null;
                        try { parsed = JsonNode.Parse(raw); } catch (System.Text.Json.JsonException) { }
                        await _events.Writer.WriteAsync(new StreamedEvent(id, type ?? "message", parsed, raw, DateTimeOffset.UtcNow));
                    }
                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith("id:", StringComparison.Ordinal)) id = line[3..].Trim();
                else if (line.StartsWith("event:", StringComparison.Ordinal)) type = line[6..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].TrimStart());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The test closed the stream, or the node stopped.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
    }
}
