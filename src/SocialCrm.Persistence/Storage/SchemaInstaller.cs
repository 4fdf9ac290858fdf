using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Persistence.Storage;

/// <summary>
/// Applies <c>deploy/sql/&lt;dialect&gt;</c> at start-up. Every script is idempotent; on the server
/// dialects a database-wide lock keeps two nodes starting together from racing each other.
/// </summary>
public sealed class SchemaInstaller(Database database, ILogger<SchemaInstaller> logger)
{
    private const long PostgresLockKey = 0x50C1A1C7;

    public async Task InstallAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = database.Dialect == Dialect.Sqlite ? null : await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, cancellationToken);
        var count = 0;
        foreach (var (file, sql) in database.Catalog.SchemaChunks())
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 120;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException ex)
            {
                throw new InvalidOperationException($"Applying {database.Dialect.Folder()}/{file} failed: {ex.Message}", ex);
            }
            count++;
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Schema for {Dialect} applied ({Count} statements).", database.Dialect, count);
    }

    private static async Task LockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = connection switch
        {
            Npgsql.NpgsqlConnection => $"SELECT pg_advisory_xact_lock({PostgresLockKey})",
            Microsoft.Data.SqlClient.SqlConnection =>
                "EXEC sp_getapplock @Resource = 'socialcrm-schema', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 120000",
            _ => null,
        };
        if (sql is null) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 130;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
