using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>
/// The service as a separate process (the built SocialCrm.Host.dll beside the tests), for scenarios
/// where a node must die the way nodes die: killed, not stopped.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private HostProcess(Process process, string baseUrl, int siloPort)
    {
        _process = process;
        BaseUrl = baseUrl;
        SiloPort = siloPort;
    }

    public string BaseUrl { get; }

    /// <summary>The silo's port: with the loopback address, it names this node's row in the membership table.</summary>
    public int SiloPort { get; }

    /// <summary>The last lines the node wrote (warnings and errors), to explain a failure.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output) return string.Join(Environment.NewLine, _output);
        }
    }

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "SocialCrm.Host.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Auth__BootstrapKey"] = ServiceHost.BootstrapSecret;
        start.Environment["Orleans__SiloPort"] = FreePorts.Next().ToString();
        start.Environment["Orleans__GatewayPort"] = FreePorts.Next().ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The host process did not start.");
        var host = new HostProcess(process, $"http://127.0.0.1:{port}", int.Parse(start.Environment["Orleans__SiloPort"]!));
        process.OutputDataReceived += (_, line) => host.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => host.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        // Generous: on a busy build machine a cold start of the host can take most of a minute.
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReadyDeadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The host process exited with {process.ExitCode}:\n{host.RecentOutput}");
            try
            {
                using var ready = await client.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return host;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        await host.DisposeAsync();
        throw new InvalidOperationException($"The host process did not become ready within {ReadyDeadline}:\n{host.RecentOutput}");
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Count == KeptOutputLines) _output.Dequeue();
            _output.Enqueue(line);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
