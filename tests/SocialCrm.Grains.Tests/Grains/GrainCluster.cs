using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;
using SocialCrm.Grains;
using SocialCrm.Persistence;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>A store for grain-level clusters: its settings, with the schema already applied.</summary>
public sealed record GrainStore(IReadOnlyDictionary<string, string?> Settings);

/// <summary>
/// Orleans test clusters (<see cref="InProcessTestCluster"/>) whose silos are set up as the real
/// host's: <see cref="SiloBuilderExtensions.AddSocialCrmGrainRuntime"/> (ADO.NET grain storage and
/// reminders, the brand filter) and <see cref="ServiceCollectionExtensions.AddSocialCrmGrains"/>, and the schema applied before the first silo starts. Membership,
/// endpoints and transport are the test cluster's own. One cluster is shared by a test class (each
/// test uses its own brand); restart scenarios start theirs on a store of their own. Given a clock,
/// the silos use it instead of the system's.
/// </summary>
public abstract class GrainCluster(TestDatabase database, short silos, TimeProvider? clock = null) : IAsyncLifetime
{
    // Grain state and reminders are stored under the service id: a restarted cluster must keep it.
    private const string ServiceId = "socialcrm";

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(2);

    private InProcessTestCluster? _shared;

    /// <summary>The client of the shared cluster (the test is skipped where the backend cannot run).</summary>
    public IClusterClient Client
    {
        get
        {
            if (database.Unavailable is { } reason) Assert.Skip(reason);
            return (_shared ?? throw new InvalidOperationException("The grain cluster did not start.")).Client;
        }
    }

    /// <summary>A fresh, empty store with the schema applied, as the host's start-up does.</summary>
    public async Task<GrainStore> NewStoreAsync()
    {
        var settings = CapPostgresPool(await database.NewStorageAsync());
        var services = new ServiceCollection()
            .AddLogging()
            .AddSocialCrmPersistence(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SchemaInstaller>().InstallAsync();
        return new GrainStore(settings);
    }

    // Each silo's own pool and Orleans' pool default to 100 connections each, so a burst on a two-silo
    // cluster alone can exhaust a default server (max_connections = 100) shared with the other suites;
    // idle connections are let go soon, so a class that is done does not hold them for minutes.
    private static Dictionary<string, string?> CapPostgresPool(Dictionary<string, string?> settings)
    {
        if (settings.GetValueOrDefault("Storage:Provider") == "postgres" && settings.GetValueOrDefault("Storage:ConnectionString") is { } connectionString)
        {
            settings["Storage:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
            {
                MaxPoolSize = 8,
                ConnectionIdleLifetime = 10,
            }.ToString();
        }
        return settings;
    }

    /// <summary>Starts a cluster on the store; dispose it (or stop it) to take the whole cluster down.</summary>
    public async Task<RunningCluster> StartClusterAsync(GrainStore store)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ConfigureFileLogging = false;
        // These scenarios check outcomes, not latency: on a busy shared machine a burst may outlast
        // Orleans' 30 s default.
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(store.Settings);
            // The grain scenarios include stream subscribers; the host leaves streams off unless asked.
            host.Configuration.AddInMemoryCollection([new("Streams:Enabled", "true")]);
            // The services the grains depend on, registered as Program.cs registers them.
            host.Services.AddSocialCrmGrains(host.Configuration);
            host.UseOrleans(silo =>
            {
                silo.AddSocialCrmGrainRuntime(host.Configuration);
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            });
            if (clock is not null)
            {
                // Last, so no registration made above (the host's TimeProvider.System) outlives it.
                host.Services.RemoveAll<TimeProvider>();
                host.Services.AddSingleton<TimeProvider>(clock);
            }
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return new RunningCluster(cluster);
    }

    public async ValueTask InitializeAsync()
    {
        if (database.Unavailable is not null) return;
        _shared = (await StartClusterAsync(await NewStoreAsync())).Cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (_shared is not null) await new RunningCluster(_shared).DisposeAsync();
    }
}

/// <summary>A started test cluster; disposing it stops every silo (gracefully) and the client.</summary>
public sealed class RunningCluster(InProcessTestCluster cluster) : IAsyncDisposable
{
    public InProcessTestCluster Cluster => cluster;

    public IClusterClient Client => cluster.Client;

    public async ValueTask DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}

/// <summary>SQLite is the one-node embedded default: one silo.</summary>
public sealed class SqliteGrainCluster() : GrainCluster(new SqliteTestDatabase(), silos: 1);

/// <summary>PostgreSQL serves clusters: two silos, so calls cross silos as they do in production.</summary>
public sealed class PostgresGrainCluster() : GrainCluster(new PostgresTestDatabase(), silos: 2);

/// <summary>SQL Server, only when SOCIALCRM_TEST_SQLSERVER is given: two silos.</summary>
public sealed class SqlServerGrainCluster() : GrainCluster(new SqlServerTestDatabase(), silos: 2);

/// <summary>A cluster whose silos read the time from a <see cref="TestClock"/> the tests move; one per test class.</summary>
public abstract class ClockedGrainCluster : GrainCluster
{
    protected ClockedGrainCluster(TestDatabase database, short silos) : this(database, silos, new TestClock())
    {
    }

    private ClockedGrainCluster(TestDatabase database, short silos, TestClock clock) : base(database, silos, clock) => Clock = clock;

    public TestClock Clock { get; }
}

/// <summary>SQLite, one silo, on a test clock.</summary>
public sealed class SqliteClockedGrainCluster() : ClockedGrainCluster(new SqliteTestDatabase(), silos: 1);

/// <summary>PostgreSQL, two silos sharing one test clock.</summary>
public sealed class PostgresClockedGrainCluster() : ClockedGrainCluster(new PostgresTestDatabase(), silos: 2);

/// <summary>SQL Server (only when SOCIALCRM_TEST_SQLSERVER is given), two silos sharing one test clock.</summary>
public sealed class SqlServerClockedGrainCluster() : ClockedGrainCluster(new SqlServerTestDatabase(), silos: 2);
