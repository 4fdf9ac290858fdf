using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>
/// One node of the service, started in-process on real Kestrel (loopback, a free port) with its
/// real silo and the storage a backend gives it.
/// </summary>
public sealed class ServiceHost : WebApplicationFactory<Program>
{
    public const string BootstrapSecret = "test-bootstrap-key-0123456789-abcdef";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="clusterId">Nodes given the same cluster id (and the same database) form one cluster.</param>
    /// <param name="configure">More set-up of this node, after the host's own (e.g. a log capture, a span exporter).</param>
    public ServiceHost(IReadOnlyDictionary<string, string?> storageSettings, string? clusterId = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        var settings = new Dictionary<string, string?>(storageSettings)
        {
            ["Auth:BootstrapKey"] = BootstrapSecret,
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(),
            ["Orleans:ClusterId"] = clusterId ?? "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging:LogLevel:Default"] = "Warning",
            // Off by default in the service (it samples every meter each second); the operations suites check it.
            ["Dashboard:Enabled"] = "true",
        };
        _settings = settings;
        UseKestrel(0);
    }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts the node and waits until it answers ready.</summary>
    public async Task<ServiceHost> StartedAsync()
    {
        StartServer();
        using var client = CreateClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var ready = await client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK) return this;
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The service did not become ready.");
    }

    /// <summary>An HTTP client on the real server, speaking with the given key (or none).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
        _configure?.Invoke(builder);
    }
}
