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
            catch (DbException ex) when (Tolerated(sql) is { } tolerated && ex.Message.Contains(tolerated, StringComparison.OrdinalIgnoreCase))
            {
                // A change the database already has, where the dialect cannot say "if not exists" (SQLite's ADD COLUMN).
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

    private const string TolerateMarker = "-- tolerate:";

    /// <summary>The error a statement may meet and still count as applied, from its <c>-- tolerate: text</c> line.</summary>
    private static string? Tolerated(string sql)
    {
        var start = sql.IndexOf(TolerateMarker, StringComparison.Ordinal);
        if (start < 0) return null;
        start += TolerateMarker.Length;
        var end = sql.IndexOf('\n', start);
        var text = (end < 0 ? sql[start..] : sql[start..end]).Trim();
        return text.Length == 0 ? null : text;
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
