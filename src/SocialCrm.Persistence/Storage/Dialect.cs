using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SocialCrm.Persistence.Storage;

/// <summary>The three SQL dialects the service speaks through ADO.NET.</summary>
public enum Dialect { Sqlite, Postgres, SqlServer }

public static class Dialects
{
    public static Dialect Parse(string provider) => provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => Dialect.Sqlite,
        "postgres" or "postgresql" or "npgsql" => Dialect.Postgres,
        "sqlserver" or "mssql" => Dialect.SqlServer,
        _ => throw new InvalidOperationException(
            $"Storage:Provider '{provider}' is not supported; use sqlite, postgres or sqlserver."),
    };

    /// <summary>The folder name under <c>deploy/sql</c>.</summary>
    public static string Folder(this Dialect dialect) => dialect switch
    {
        Dialect.Sqlite => "sqlite",
        Dialect.Postgres => "postgres",
        _ => "sqlserver",
    };

    /// <summary>The invariant name Orleans' ADO.NET providers use to load the driver.</summary>
    public static string OrleansInvariant(this Dialect dialect) => dialect switch
    {
        Dialect.Sqlite => "System.Data.SQLite", // Orleans maps this name to Microsoft.Data.Sqlite.
        Dialect.Postgres => "Npgsql",
        _ => "Microsoft.Data.SqlClient",
    };

    /// <summary>The effective connection string: the configured one, or the embedded database file.</summary>
    public static string ConnectionString(this Dialect dialect, StorageOptions options)
    {
        if (dialect != Dialect.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                throw new InvalidOperationException($"Storage:ConnectionString is required for Storage:Provider={options.Provider}.");
            return dialect == Dialect.Postgres ? TunePostgres(options.ConnectionString) : options.ConnectionString;
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            if (file.Length > 0 && file != ":memory:" && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) PrivateFiles.Database(file);
            return options.ConnectionString;
        }
        var directory = PrivateFiles.Folder(options.DataDirectory);
        var database = Path.Combine(directory, "socialcrm.db");
        PrivateFiles.Database(database);
        return new SqliteConnectionStringBuilder
        {
            DataSource = database,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public static DbDataSource CreateDataSource(this Dialect dialect, string connectionString) => dialect switch
    {
        Dialect.Sqlite => SqliteFactory.Instance.CreateDataSource(connectionString),
        Dialect.Postgres => PostgresDataSource(connectionString),
        _ => Microsoft.Data.SqlClient.SqlClientFactory.Instance.CreateDataSource(connectionString),
    };

    private static NpgsqlDataSource PostgresDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Npgsql writes out the whole SQL text of a command for its span before asking the sampler: a
        // command is only traced when it runs inside a span that is recorded (the host samples none
        // without an exporter), so an untraced service does not pay for it on every statement.
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => InRecordedTrace())
            .ConfigureBatchFilter(_ => InRecordedTrace()));
        return builder.Build();
    }

    private static bool InRecordedTrace() => System.Diagnostics.Activity.Current?.Recorded == true;

    /// <summary>Whether the database refused a write because a unique key already holds the value.</summary>
    public static bool IsUniqueViolation(System.Data.Common.DbException exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>
    /// The database error behind an exception, when there is one: Orleans wraps a grain storage
    /// provider's failure in its own exception, whose message names the grain (an identity's key is a
    /// platform user id), so callers look inside instead of logging or answering the wrapper.
    /// </summary>
    public static DbException? DatabaseErrorIn(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is DbException db) return db;
            if (current is AggregateException { InnerExceptions.Count: 1 } single) return DatabaseErrorIn(single.InnerExceptions[0]);
        }
        return null;
    }

    /// <summary>
    /// Whether the database could not be reached or was too busy, so that the same statement may well
    /// succeed in a moment: a lost connection, a timeout, an exhausted pool, a server starting or
    /// shutting down, SQLite's busy and locked, SQL Server's transient errors, deadlocks. Anything else
    /// (a value the database refuses, a constraint, a bug) fails the same way however often it is retried.
    /// </summary>
    public static bool IsTransient(System.Data.Common.DbException exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,   // SQLITE_BUSY, SQLITE_LOCKED
        Microsoft.Data.SqlClient.SqlException sql => sql.IsTransient || sql.Number is -2 or 20 or 64 or 233 or 1205 or 4060 or 4221
            or 10053 or 10054 or 10060 or 10928 or 10929 or 40143 or 40197 or 40501 or 40540 or 40613 or 49918 or 49919 or 49920,
        _ => exception.IsTransient || exception.InnerException is TimeoutException or System.Net.Sockets.SocketException or IOException,
    };

    /// <summary>Connections a node opens at most per pool (ours and Orleans'), unless the connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 30;

    // Statements that run thousands of times a second are worth preparing once per connection; and a
    // node should not take the server's whole connection budget (Npgsql's default pool is 100).
    private static string TunePostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 32;
        // An error's detail quotes row values ("Key (external_user_id)=(...)"): never fetched, so never logged.
        builder.IncludeErrorDetail = false;
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase)) builder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.ToString();
    }
}
