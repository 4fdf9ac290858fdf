using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Telemetry;

namespace SocialCrm.Persistence.Storage;

/// <summary>
/// Group commit: writes from many callers (many conversations) share one transaction, so durable
/// throughput is far above one commit per message. A caller's task completes only once the
/// transaction holding its statements has committed; if a shared batch fails, each write is retried
/// alone so one bad write cannot fail its neighbours.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly Database _database;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task[] _writers;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IAsyncDisposable? _logMaintenance;
    private readonly string? _writerConnectionSetup;

    public GroupCommitWriter(Database database, ILogger<GroupCommitWriter> logger)
    {
        _database = database;
        _logger = logger;
        var options = database.Options;
        _maxBatch = Math.Clamp(options.GroupCommitMaxBatch, 1, 10_000);
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(100_000)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
        });
        _logMaintenance = database.Profile.StartLogMaintenance(database, logger);
        _writerConnectionSetup = database.Profile.WriterConnectionSetup;
        var writers = database.Profile.GroupCommitWriters(options);
        // A lone writer gathers its next batch while it commits the last one: lingering would only idle
        // the one path to the database (SQLite, measured: 3,392 → 3,783 and 3,680 → 5,125 msgs/s without).
        _maxWait = writers > 1 ? TimeSpan.FromMilliseconds(Math.Clamp(options.GroupCommitMaxWaitMs, 0, 100)) : TimeSpan.Zero;
        // The loops outlive whoever first resolved the writer: they must not inherit its trace or request context.
        using (ExecutionContext.SuppressFlow())
            _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Writes the statements atomically; completes once they are durable.</summary>
    public async Task WriteAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken = default)
    {
        var pending = new PendingWrite(statements, SocialCrmMetrics.Activities.HasListeners() ? Activity.Current?.Context ?? default : default);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_maxBatch);
        var lastBatchSize = 0;
        DbConnection? connection = null;
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var item)) batch.Add(item);
                // Only linger while busy: at rest a lone write goes out at once.
                if (batch.Count < _maxBatch && lastBatchSize > 1 && _maxWait > TimeSpan.Zero)
                {
                    // A plain delay, not a wait cancelled at the deadline: that threw an exception before every busy commit.
                    await Task.Delay(_maxWait, _stopping.Token);
                    while (batch.Count < _maxBatch && reader.TryRead(out var item)) batch.Add(item);
                }
                if (batch.Count == 0) continue;
                lastBatchSize = batch.Count;
                connection = await CommitAsync(connection, batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var item in batch) item.Done.TrySetException(new ObjectDisposedException(nameof(GroupCommitWriter)));
            await ResetAsync(connection);
        }
    }

    private async Task<DbConnection?> CommitAsync(DbConnection? connection, List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = StartCommitActivity(batch);
        try
        {
            connection ??= await OpenWriterAsync();
            await ExecuteInTransactionAsync(connection, batch);
            foreach (var item in batch) item.Done.TrySetResult();
            SocialCrmMetrics.GroupCommitBatchSize.Record(batch.Count);
            SocialCrmMetrics.GroupCommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return connection;
        }
        catch (Exception batchError) when (batch.Count > 1)
        {
            _logger.LogWarning("A group commit of {Count} writes failed ({Error}); retrying each alone.", batch.Count, batchError.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, batchError.GetType().Name);
            connection = await ResetAsync(connection);
            foreach (var item in batch)
            {
                try
                {
                    connection ??= await OpenWriterAsync();
                    await ExecuteInTransactionAsync(connection, [item]);
                    item.Done.TrySetResult();
                }
                catch (Exception itemError)
                {
                    item.Done.TrySetException(itemError);
                    connection = await ResetAsync(connection);
                }
            }
            return connection;
        }
        catch (Exception error)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            foreach (var item in batch) item.Done.TrySetException(error);
            return await ResetAsync(connection);
        }
    }

    /// <summary>
    /// One span per transaction, a root linked to the traces of the writes it carries (capped). Nothing
    /// is allocated unless a listener samples it in: this runs for every commit.
    /// </summary>
    private static Activity? StartCommitActivity(List<PendingWrite> batch)
    {
        if (!SocialCrmMetrics.Activities.HasListeners()) return null;
        var activity = SocialCrmMetrics.Activities.StartActivity("socialcrm.group_commit", ActivityKind.Internal, parentContext: default);
        if (activity is null) return null;
        activity.SetTag("socialcrm.group_commit.batch.size", batch.Count);
        var links = 0;
        foreach (var item in batch)
        {
            if (item.Caller == default) continue;
            activity.AddLink(new ActivityLink(item.Caller));
            if (++links == MaxLinks) break;
        }
        return activity;
    }

    private const int MaxLinks = 32;

    private async Task ExecuteInTransactionAsync(DbConnection connection, IReadOnlyList<PendingWrite> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (connection.CanCreateBatch)
        {
            // One round trip for the whole batch on the server dialects.
            await using var dbBatch = connection.CreateBatch();
            dbBatch.Transaction = transaction;
            if (RowsOf(batch) is { } groups)
            {
                foreach (var (_, query, rows) in groups)
                {
                    var command = dbBatch.CreateBatchCommand();
                    command.CommandText = query.Text;
                    query.BindRows(command.Parameters, command.CreateParameter, rows);
                    dbBatch.BatchCommands.Add(command);
                }
            }
            else
            {
                foreach (var item in batch)
                {
                    foreach (var statement in item.Statements)
                    {
                        var command = dbBatch.CreateBatchCommand();
                        var query = _database.Catalog.Query(statement.Query);
                        command.CommandText = query.Text;
                        query.Bind(command.Parameters, command.CreateParameter, statement.Args);
                        dbBatch.BatchCommands.Add(command);
                    }
                }
            }
            await dbBatch.ExecuteNonQueryAsync();
        }
        else
        {
            foreach (var item in batch)
            {
                foreach (var statement in item.Statements)
                {
                    var command = PreparedCommand(connection, statement);
                    command.Transaction = transaction;
                    await command.ExecuteNonQueryAsync();
                }
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// The batch as one many-rows statement per kind of write, when the dialect has a many-rows form of
    /// every write in it (PostgreSQL, for the writes of inbound messages). Those writes touch different
    /// tables and read nothing, so grouping them by kind changes no outcome; one statement per kind spares
    /// the server a parse, a plan and an execution per message. Null when any write has no such form.
    /// </summary>
    private List<(string Name, SqlQuery Query, List<IReadOnlyList<SqlArg>> Rows)>? RowsOf(IReadOnlyList<PendingWrite> batch)
    {
        if (batch.Count < 2) return null;
        var groups = new List<(string Name, SqlQuery Query, List<IReadOnlyList<SqlArg>> Rows)>(3);
        foreach (var item in batch)
        {
            foreach (var statement in item.Statements)
            {
                var index = groups.FindIndex(g => g.Name == statement.Query);
                if (index < 0)
                {
                    if (_database.Catalog.RowsForm(statement.Query) is not { } rowsForm) return null;
                    groups.Add((statement.Query, rowsForm, []));
                    index = groups.Count - 1;
                }
                groups[index].Rows.Add(statement.Args);
            }
        }
        return groups;
    }

    // SQLite compiles a statement per command: the writer's connection keeps one prepared command per
    // query and only rebinds its values, which halves the cost of a write.
    private readonly Dictionary<(DbConnection, string), DbCommand> _prepared = [];

    private DbCommand PreparedCommand(DbConnection connection, SqlStatement statement)
    {
        lock (_prepared)
        {
            if (_prepared.TryGetValue((connection, statement.Query), out var command) && SameParameters(command, statement.Args))
            {
                for (var i = 0; i < statement.Args.Count; i++) command.Parameters[i].Value = statement.Args[i].Value ?? DBNull.Value;
                return command;
            }
            command?.Dispose();
            command = _database.Command(connection, statement.Query, statement.Args);
            command.Prepare();
            _prepared[(connection, statement.Query)] = command;
            return command;
        }
    }

    private static bool SameParameters(DbCommand command, IReadOnlyList<SqlArg> args)
    {
        if (command.Parameters.Count != args.Count) return false;
        for (var i = 0; i < args.Count; i++)
        {
            var parameter = command.Parameters[i];
            if (parameter.ParameterName != args[i].Name || parameter.DbType != args[i].Type) return false;
        }
        return true;
    }

    private void ForgetPrepared(DbConnection connection)
    {
        lock (_prepared)
        {
            foreach (var key in _prepared.Keys.Where(k => k.Item1 == connection).ToList())
            {
                _prepared[key].Dispose();
                _prepared.Remove(key);
            }
        }
    }

    private async Task<DbConnection> OpenWriterAsync()
    {
        var connection = await _database.OpenAsync(_stopping.Token);
        if (_writerConnectionSetup is not null)
        {
            await using var setup = connection.CreateCommand();
            setup.CommandText = _writerConnectionSetup;
            await setup.ExecuteNonQueryAsync();
        }
        return connection;
    }

    private async Task<DbConnection?> ResetAsync(DbConnection? connection)
    {
        if (connection is null) return null;
        ForgetPrepared(connection);
        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
        }
        if (_logMaintenance is not null) await _logMaintenance.DisposeAsync();
        _stopping.Dispose();
    }

    private sealed class PendingWrite(IReadOnlyList<SqlStatement> statements, ActivityContext caller)
    {
        public IReadOnlyList<SqlStatement> Statements { get; } = statements;

        /// <summary>The trace of the caller, for the commit span's links.</summary>
        public ActivityContext Caller { get; } = caller;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
