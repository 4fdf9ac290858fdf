
namespace SocialCrm.Api.Tests.Infrastructure;

/// <summary>
/// A storage backend the suites run against: a <see cref="TestDatabase"/> that makes fresh, empty storage,
/// and nodes started on it. The shared node serves most scenarios (each uses its own brand); restart
/// scenarios start their own.
/// </summary>
public abstract class Backend(TestDatabase database) : IAsyncLifetime
{
    private ServiceHost? _shared;

    public string Name => database.Name;

    /// <summary>The shared node, started once per test class.</summary>
    public ServiceHost Node
    {
        get
        {
            if (database.Unavailable is { } reason) Assert.Skip(reason);
            return _shared ?? throw new InvalidOperationException("The backend did not start.");
        }
    }

    /// <summary>Settings of a fresh, empty store (the test is skipped where the backend cannot run).</summary>
    public Task<Dictionary<string, string?>> NewStorageAsync() => database.NewStorageAsync();

    /// <summary>Starts a node on the given storage (for restart scenarios: stop one, start another on the same store).</summary>
    public Task<ServiceHost> StartNodeAsync(IReadOnlyDictionary<string, string?> storage, string? clusterId = null) =>
        new ServiceHost(storage, clusterId).StartedAsync();

    public async ValueTask InitializeAsync()
    {
        if (database.Unavailable is not null) return;
        _shared = await StartNodeAsync(await database.NewStorageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_shared is not null) await _shared.DisposeAsync();
    }
}

/// <summary>The embedded default: SQLite files in a temporary data folder.</summary>
public sealed class SqliteBackend() : Backend(new SqliteTestDatabase());

/// <summary>A live PostgreSQL server (SOCIALCRM_TEST_POSTGRES); each store is a new database on it.</summary>
public sealed class PostgresBackend() : Backend(new PostgresTestDatabase());

/// <summary>A live SQL Server (SOCIALCRM_TEST_SQLSERVER), only when one is given: none can run on our build machine.</summary>
public sealed class SqlServerBackend() : Backend(new SqlServerTestDatabase());
