using System.Data.Common;

namespace SocialCrm.Persistence.Storage;

/// <summary>The three SQL dialects the service speaks through ADO.NET; what differs between them is in <see cref="DialectProfile"/>.</summary>
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

    public static DialectProfile Profile(this Dialect dialect) => DialectProfile.For(dialect);

    /// <summary>Whether the database refused a write because a unique key already holds the value.</summary>
    public static bool IsUniqueViolation(DbException exception) => DialectProfile.RaiserOf(exception)?.IsUniqueViolation(exception) ?? false;

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
    public static bool IsTransient(DbException exception) => DialectProfile.RaiserOf(exception) is { } profile
        ? profile.IsTransient(exception)
        : exception.IsTransient || exception.InnerException is TimeoutException or System.Net.Sockets.SocketException or IOException;

    /// <summary>Connections a node opens at most per pool (ours and Orleans'), unless the connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 30;

    /// <summary>The configured connection string of a server dialect, which has no default.</summary>
    internal static string RequiredConnectionString(StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? throw new InvalidOperationException($"Storage:ConnectionString is required for Storage:Provider={options.Provider}.")
            : options.ConnectionString;
}
