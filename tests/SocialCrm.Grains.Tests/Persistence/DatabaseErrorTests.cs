using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Grains.Tests.Persistence;

/// <summary>
/// Which database errors are worth a retry (503 with Retry-After) and which would fail the same way
/// forever (500): only a database out of reach or too busy is the first kind. And PostgreSQL's error
/// detail, which quotes row values, is never fetched.
/// </summary>
public sealed class DatabaseErrorTests
{
    public static TheoryData<string, bool> Errors => new()
    {
        { "postgres 22021 (a NUL in text)", false },
        { "postgres 23505 (unique violation)", false },
        { "postgres 22P02 (invalid text)", false },
        { "postgres 57P03 (cannot connect now)", true },
        { "postgres 53300 (too many connections)", true },
        { "postgres 40001 (serialization failure)", true },
        { "npgsql socket error", true },
        { "npgsql timeout", true },
        { "sqlite busy", true },
        { "sqlite locked", true },
        { "sqlite constraint", false },
        { "sqlite error", false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Only_an_unreachable_or_busy_database_is_worth_a_retry(string error, bool transient)
    {
        System.Data.Common.DbException exception = error switch
        {
            "npgsql socket error" => new NpgsqlException("Exception while reading from stream", new SocketException(104)),
            "npgsql timeout" => new NpgsqlException("Timeout", new TimeoutException()),
            "sqlite busy" => new SqliteException("database is locked", 5),
            "sqlite locked" => new SqliteException("database table is locked", 6),
            "sqlite constraint" => new SqliteException("UNIQUE constraint failed", 19),
            "sqlite error" => new SqliteException("SQL logic error", 1),
            _ => new PostgresException("refused", "ERROR", "ERROR", error.Split(' ')[1]),
        };
        Assert.Equal(transient, Dialects.IsTransient(exception));
    }

    [Fact]
    public void PostgreSQL_error_detail_is_never_requested_whatever_the_connection_string_says()
    {
        var connectionString = DialectProfile.Postgres.ConnectionString(new StorageOptions
        {
            Provider = "postgres",
            ConnectionString = "Host=127.0.0.1;Username=postgres;Database=x;Include Error Detail=true",
        });
        Assert.False(new NpgsqlConnectionStringBuilder(connectionString).IncludeErrorDetail);
    }
}
