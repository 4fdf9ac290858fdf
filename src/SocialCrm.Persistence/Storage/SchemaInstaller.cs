using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Persistence.Storage;

/// <summary>
/// Applies <c>deploy/sql/&lt;dialect&gt;</c> at start-up. Every script is idempotent; on the server
/// dialects a database-wide lock keeps two nodes starting together from racing each other.
/// </summary>
public sealed class SchemaInstaller(Database database, ILogger<SchemaInstaller> logger)
{
    public async Task InstallAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = database.Profile.TransactionalSchema ? await connection.BeginTransactionAsync(cancellationToken) : null;
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
                throw new InvalidOperationException($"Applying {database.Profile.Folder}/{file} failed: {ex.Message}", ex);
            }
            count++;
        }
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Schema for {Dialect} applied ({Count} statements).", database.Dialect, count);
    }

    private async Task LockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (database.Profile.SchemaInstallLock is not { } sql) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 130;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
