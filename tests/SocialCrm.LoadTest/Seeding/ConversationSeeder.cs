using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace SocialCrm.LoadTest.Seeding;

/// <summary>Where seeded rows go: the service's SQLite file or its PostgreSQL database.</summary>
public sealed record SeedTarget(string? SqlitePath, string? PostgresConnectionString)
{
    public static SeedTarget From(Arguments args)
    {
        var path = args.Text("db", "");
        var postgres = args.Text("postgres", "");
        if (path.Length > 0 == postgres.Length > 0)
            throw new UsageException("Give exactly one of --db PATH (the service's socialcrm.db) or --postgres CONNECTION-STRING.");
        if (path.Length > 0 && !File.Exists(path)) throw new UsageException($"--db {path}: no such file.");
        return new SeedTarget(path.Length > 0 ? path : null, postgres.Length > 0 ? postgres : null);
    }
}

/// <summary>
/// Writes private web-chat conversations, each with its customer's messages, straight into the
/// service's log and projection tables (deploy/sql/*/socialcrm.sql) for a brand and channel created
/// over HTTP first. Millions of messages over the API would take hours; the rows are those the
/// service writes itself, and a conversation grain activates from its projection row. Conversation
/// <c>i</c> of a run is <c>seed-{run}-{i}</c>.
/// </summary>
public static class ConversationSeeder
{
    private const string Body = "Hi! My order still has not arrived, could you tell me where it is? Order 12345.";

    public static string ConversationId(string run, int i) => $"seed-{run}-{i:D7}";

    private static string CustomerId(string run, int i) => $"cu-seed-{run}-{i:D7}";

    public static Task<TimeSpan> SeedAsync(SeedTarget target, string brandId, string channelId, string run, int conversations,
        int messagesPerConversation, CancellationToken cancellationToken) =>
        target.SqlitePath is { } path
            ? SeedSqliteAsync(path, brandId, channelId, run, conversations, messagesPerConversation, cancellationToken)
            : SeedPostgresAsync(target.PostgresConnectionString!, brandId, channelId, run, conversations, messagesPerConversation, cancellationToken);

    private static async Task<TimeSpan> SeedSqliteAsync(string path, string brandId, string channelId, string run, int conversations,
        int perConversation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await OpenSqliteAsync(path, cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Transactions of about 100,000 rows: the service's own writers wait on the lock meanwhile.
        var batch = Math.Max(1, 100_000 / (perConversation + 2));
        for (var from = 0; from < conversations; from += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var conversation = Prepared(connection, transaction, """
                INSERT INTO conversations (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id,
                    external_thread_id, created_at_ms, last_activity_ms, last_message_at_ms, last_customer_message_at_ms, message_count, last_seq)
                VALUES ($brand, $id, $channel, 'private', 'private', 'open', NULL, 'human', $customer, NULL, $created, $last, $last, $last, $count, $count);
                """, "$brand", "$id", "$channel", "$customer", "$created", "$last", "$count");
            await using var participant = Prepared(connection, transaction, """
                INSERT INTO conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms) VALUES ($brand, $customer, $id, $created);
                """, "$brand", "$customer", "$id", "$created");
            await using var message = Prepared(connection, transaction, """
                INSERT INTO messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility,
                    created_at_ms, sent_at_ms, external_message_id)
                VALUES ($brand, $conversation, $seq, $id, $channel, 'customer', $author, $body, 'private', $at, $at, $external);
                """, "$brand", "$conversation", "$seq", "$id", "$channel", "$author", "$body", "$at", "$external");
            for (var i = from; i < Math.Min(conversations, from + batch); i++)
            {
                var (conversationId, customerId, created) = (ConversationId(run, i), CustomerId(run, i), now - perConversation * 1000L - i);
                var last = created + perConversation * 1000L;
                Bind(conversation, brandId, conversationId, channelId, customerId, created, last, (long)perConversation);
                conversation.ExecuteNonQuery();
                Bind(participant, brandId, customerId, conversationId, created);
                participant.ExecuteNonQuery();
                for (var seq = 1; seq <= perConversation; seq++)
                {
                    var at = created + seq * 1000L;
                    Bind(message, brandId, conversationId, (long)seq, $"msg-{run}-{i}-{seq}", channelId, customerId, Body, at, $"ext-{run}-{i}-{seq}");
                    message.ExecuteNonQuery();
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// The service's SQLite file, opened beside the running service: its write-ahead log lets the
    /// service go on reading, and a long busy timeout waits out its writers rather than failing.
    /// </summary>
    public static async Task<SqliteConnection> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 120 };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 120000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    }

    private static async Task<TimeSpan> SeedPostgresAsync(string connectionString, string brandId, string channelId, string run, int conversations,
        int perConversation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var copy = await connection.BeginBinaryImportAsync("""
                         COPY conversations (brand_id, id, channel_id, visibility, kind, status, controller, customer_id, created_at_ms,
                             last_activity_ms, last_message_at_ms, last_customer_message_at_ms, message_count, last_seq) FROM STDIN (FORMAT BINARY)
                         """, cancellationToken))
        {
            for (var i = 0; i < conversations; i++)
            {
                var created = now - perConversation * 1000L - i;
                var last = created + perConversation * 1000L;
                await copy.WriteRowAsync(cancellationToken, brandId, ConversationId(run, i), channelId, "private", "private", "open", "human",
                    CustomerId(run, i), created, last, last, last, (long)perConversation, (long)perConversation);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < conversations; i++)
                await copy.WriteRowAsync(cancellationToken, brandId, CustomerId(run, i), ConversationId(run, i), now - perConversation * 1000L - i);
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("""
                         COPY messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility,
                             created_at_ms, sent_at_ms, external_message_id) FROM STDIN (FORMAT BINARY)
                         """, cancellationToken))
        {
            for (var i = 0; i < conversations; i++)
            {
                var created = now - perConversation * 1000L - i;
                for (var seq = 1; seq <= perConversation; seq++)
                {
                    var at = created + seq * 1000L;
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(brandId, NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(ConversationId(run, i), NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync((long)seq, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync($"msg-{run}-{i}-{seq}", NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(channelId, NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync("customer", NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(CustomerId(run, i), NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(Body, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync("private", NpgsqlDbType.Varchar, cancellationToken);
                    await copy.WriteAsync(at, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(at, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync($"ext-{run}-{i}-{seq}", NpgsqlDbType.Varchar, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        // The planner should know how much the tables grew before anything is measured.
        await using (var analyze = new NpgsqlCommand("ANALYZE conversations; ANALYZE conversation_participants; ANALYZE messages;", connection))
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }
}
