using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SocialCrm.LoadTest.Webhooks;

/// <summary>
/// A minimal bot endpoint on 127.0.0.1 (a port the system picks): checks each delivery's
/// <c>X-SocialCrm-Signature</c>, and keeps the first arrival time (<see cref="Stopwatch"/> clock, the
/// same one the load loop stamps its acks with) of every <c>message.created</c> by its
/// <c>data.messageId</c>. Answers 200 to a good delivery, 401 to a bad signature, 400 to a body it cannot read.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Path = "/hook";
    private const string SignaturePrefix = "sha256=";

    private readonly WebApplication _app;
    private readonly byte[] _secret;
    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private long _received;
    private long _badSignatures;
    private long _unreadable;
    private long _otherTypes;
    private long _duplicates;
    private long _lastArrival;

    private WebhookReceiver(WebApplication app, string secret)
    {
        _app = app;
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>message.created deliveries that arrived, well signed (duplicates included).</summary>
    public long Received => Interlocked.Read(ref _received);

    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    public long Unreadable => Interlocked.Read(ref _unreadable);

    public long OtherTypes => Interlocked.Read(ref _otherTypes);

    /// <summary>Deliveries of a message id that had already arrived.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public int Distinct => _arrivals.Count;

    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public bool TryGetArrival(string messageId, out long timestamp) => _arrivals.TryGetValue(messageId, out timestamp);

    public IEnumerable<string> MessageIds => _arrivals.Keys;

    public static async Task<WebhookReceiver> StartAsync(string secret, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The webhook receiver has no address.");
        receiver.Url = new Uri(new Uri(address), Path);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var arrivedAt = Stopwatch.GetTimestamp();
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!SignatureMatches(body, context.Request.Headers["X-SocialCrm-Signature"].ToString()))
        {
            Interlocked.Increment(ref _badSignatures);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        string? type, messageId;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            messageId = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("messageId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _unreadable);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (type != "message.created" || messageId is null)
        {
            Interlocked.Increment(ref _otherTypes);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        Interlocked.Increment(ref _received);
        if (!_arrivals.TryAdd(messageId, arrivedAt)) Interlocked.Increment(ref _duplicates);
        long last;
        while (arrivedAt > (last = Interlocked.Read(ref _lastArrival)) && Interlocked.CompareExchange(ref _lastArrival, arrivedAt, last) != last)
        {
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private bool SignatureMatches(ReadOnlySpan<byte> body, string header)
    {
        if (!header.StartsWith(SignaturePrefix, StringComparison.Ordinal)) return false;
        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hex = header.AsSpan(SignaturePrefix.Length);
        if (hex.Length != claimed.Length * 2
            || Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != claimed.Length)
            return false;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }

    public async ValueTask DisposeAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(bounded.Token);
        await _app.DisposeAsync();
    }
}
