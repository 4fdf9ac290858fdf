using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Persistence.Storage;

/// <summary>
/// Moves SQLite's write-ahead log back into the database file on a connection of its own. Left to
/// SQLite, the commit that crosses the log's threshold copies and fsyncs the whole log while it holds
/// the single write lock, and every append waiting behind it waits that long too. A passive checkpoint
/// never takes the write lock, so the group commit goes on while the log is copied.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1000);

    private readonly Database _database;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public SqliteCheckpointer(Database database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        using (ExecutionContext.SuppressFlow())
            _loop = Task.Run(LoopAsync);
    }

    /// <summary>What the writer's connection sets so that its commits never checkpoint inline.</summary>
    public const string WriterPragmas = "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;";

    private async Task LoopAsync()
    {
        DbConnection? connection = null;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    connection ??= await _database.OpenAsync(_stopping.Token);
                    await using var command = connection.CreateCommand();
                    // Synchronous FULL: the database file is fsynced before the log may be reused.
                    command.CommandText = "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(_stopping.Token);
                }
                catch (DbException error)
                {
                    // A busy database or a full disk: the next tick tries again, and the log only grows meanwhile.
                    _logger.LogWarning("A SQLite checkpoint failed ({Error}); retrying.", error.GetType().Name);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
