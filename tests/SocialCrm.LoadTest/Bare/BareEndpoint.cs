using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocialCrm.LoadTest.Inbound;

namespace SocialCrm.LoadTest.Bare;

/// <summary>
/// The HTTP ceiling: a bare ASP.NET Core endpoint on the inbound route that binds the same JSON
/// body the service binds (minimal API, default serializer), checks the required fields, and
/// answers 202 with an ack-shaped body. No auth, no grains, no database. The <c>bare</c> mode
/// starts it in a child process (as the service runs in its own) and drives it exactly as the
/// <c>inbound</c> mode drives the service.
/// </summary>
public static class BareEndpoint
{
    // The same shape as the service's request record: nullable fields, bound by reflection.
    public sealed record BareThread(string? Visibility, string? ExternalThreadId);

    public sealed record BareInboundRequest(string? ExternalMessageId, string? ExternalUserId, string? UserDisplayName, string? Text,
        DateTimeOffset? Timestamp, BareThread? Thread, string? InReplyToExternalMessageId);

    public sealed record BareAccepted(string ConversationId, string MessageId, string CustomerId, long Seq, bool Duplicate);

    /// <summary>The child process: serves until killed.</summary>
    public static async Task<int> ServeAsync(Arguments args)
    {
        var port = args.Int("port", 0, 1, 65535);
        args.RefuseUnknown();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        long seq = 0;
        app.MapPost("/v1/brands/{brandId}/channels/{channelId}/inbound", (string brandId, string channelId, BareInboundRequest? body) =>
        {
            if (string.IsNullOrEmpty(body?.ExternalMessageId) || string.IsNullOrEmpty(body.ExternalUserId) || string.IsNullOrEmpty(body.Text))
                return Results.Problem(statusCode: 400, title: "A required field is missing.");
            var next = Interlocked.Increment(ref seq);
            return Results.Accepted(null, new BareAccepted("conv-" + body.ExternalUserId, "msg-" + next, "cu-" + body.ExternalUserId, next, false));
        });
        app.MapGet("/health/ready", () => "Healthy");
        await app.RunAsync();
        return 0;
    }

    /// <summary>The <c>bare</c> mode: start the endpoint in a child process, drive it, stop it.</summary>
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var connections = args.Int("connections", 64, 1, 1024);
        var conversations = args.Int("conversations", 2000, 1, 1_000_000);
        var duration = args.Seconds("seconds", 20, 1, 3600);
        var warmup = args.Seconds("warmup", 5, 0, 600);
        var textLength = args.Int("text-length", 64, 1, 60_000);
        args.RefuseUnknown();

        var port = FreePort();
        using var server = StartChild(port);
        try
        {
            var url = new Uri($"http://127.0.0.1:{port}/");
            await WaitReadyAsync(url, server, cancellationToken);
            var settings = new InboundSettings([url], BootstrapKey: "", connections, conversations, duration, warmup,
                MaxMessages: int.MaxValue, textLength, FirstContact: false, ServerPid: server.Id, Bare: true);
            return await InboundBenchmark.RunAsync(settings, cancellationToken);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private static Process StartChild(int port)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell how this process was started.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        // Under `dotnet SocialCrm.LoadTest.dll` the entry assembly is the first argument.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(BareEndpoint).Assembly.Location);
        foreach (var arg in new[] { "bare-server", "--port", port.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        // The service runs with the server GC, as ASP.NET Core apps do by default; so does its reference.
        start.Environment["DOTNET_gcServer"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("The bare endpoint did not start.");
    }

    private static async Task WaitReadyAsync(Uri url, Process server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (server.HasExited) throw new InvalidOperationException($"The bare endpoint exited with code {server.ExitCode}.");
            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException("The bare endpoint did not become ready within 10 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
