using Npgsql;

namespace SocialCrm.Testing;

/// <summary>A database the suites run against: it makes fresh, empty storage, or says why it cannot run here.</summary>
public abstract class TestDatabase
{
    public abstract string Name { get; }

    /// <summary>Why this database cannot run here, or null when it can.</summary>
    public virtual string? Unavailable => null;

    /// <summary>Settings of a fresh, empty store (the test is skipped where the database cannot run).</summary>
    public Task<Dictionary<string, string?>> NewStorageAsync()
    {
        if (Unavailable is { } reason) Assert.Skip(reason);
        return CreateStorageAsync();
    }

    protected abstract Task<Dictionary<string, string?>> CreateStorageAsync();
}

/// <summary>The embedded default: SQLite files in a temporary data folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public override string Name => "sqlite";

    protected override Task<Dictionary<string, string?>> CreateStorageAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "socialcrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return Task.FromResult(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:DataDirectory"] = directory,
        });
    }
}

/// <summary>A live PostgreSQL server (SOCIALCRM_TEST_POSTGRES); each store is a new database on it.</summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "SOCIALCRM_TEST_POSTGRES";

    public override string Name => "postgres";

    public override string? Unavailable => TestEnvironment.Require(Variable, "PostgreSQL");

    protected override async Task<Dictionary<string, string?>> CreateStorageAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable)!;
        var database = "socialcrm_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Many nodes share one test server: each keeps a small pool.
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 8 };
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = builder.ToString(),
        };
    }
}

/// <summary>A live SQL Server (SOCIALCRM_TEST_SQLSERVER), only when one is given: none can run on our build machine.</summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string Variable = "SOCIALCRM_TEST_SQLSERVER";

    public override string Name => "sqlserver";

    public override string? Unavailable => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))
        ? $"No SQL Server: set {Variable} to a connection string to run these."
        : null;

    protected override async Task<Dictionary<string, string?>> CreateStorageAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable)!;
        var database = "socialcrm_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new Microsoft.Data.SqlClient.SqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new Microsoft.Data.SqlClient.SqlCommand($"CREATE DATABASE [{database}]", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(server) { InitialCatalog = database };
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlserver",
            ["Storage:ConnectionString"] = builder.ToString(),
        };
    }
}

public static class TestEnvironment
{
    /// <summary>
    /// A server the suites need: skipped when absent on a developer's machine, a failure in CI
    /// (CI=true), where tests/run.sh must have started it.
    /// </summary>
    public static string? Require(string variable, string what)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))) return null;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"CI must provide {what}: {variable} is not set (tests/run.sh starts one).");
        return $"No {what}: run tests/run.sh, or set {variable}.";
    }
}
