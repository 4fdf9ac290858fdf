using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using SocialCrm.LoadTest.Seeding;
using NpgsqlTypes;

namespace SocialCrm.LoadTest.Privacy;

/// <summary>What the seeder wrote: the customers, and their marketing consents by status.</summary>
public sealed record SeedReport(int Customers, int Granted, int Withdrawn, TimeSpan Elapsed)
{
    public int Unknown => Customers - Granted - Withdrawn;
}

/// <summary>
/// Writes customers (and some consent records) straight into the service's projection tables
/// (<c>customers</c>, <c>consents</c>; deploy/sql/*/socialcrm.sql), for a brand created over HTTP
/// first: a million customers over the API would take far longer than the report being measured.
/// The consent report reads only these two tables, so it sees them as it would real customers.
/// Customer i is <c>seed-iiiiiii</c>; every <c>consentEvery</c>-th has a marketing record, granted
/// and withdrawn in turn.
/// </summary>
public static class CustomerSeeder
{
    private const string Purpose = "marketing";

    public static string CustomerId(int i) => $"seed-{i:D7}";

    /// <summary>The i-th customer's seeded marketing status, or null for none ("unknown" in the report).</summary>
    public static string? StatusOf(int i, int consentEvery) =>
        consentEvery > 0 && i % consentEvery == 0 ? ((i / consentEvery) % 2 == 0 ? "granted" : "withdrawn") : null;

    /// <summary>
    /// Into the embedded SQLite file, while the service runs: its write-ahead log lets the service go
    /// on reading; each large transaction holds the write lock briefly, and the service's writers wait
    /// on their busy timeout meanwhile.
    /// </summary>
    public static async Task<SeedReport> SeedSqliteAsync(string path, string brandId, int customers, int consentEvery, int batch,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new UsageException($"--db {path}: no such file (the service's socialcrm.db in its data directory).");
        var started = Stopwatch.GetTimestamp();
        await using var connection = await ConversationSeeder.OpenSqliteAsync(path, cancellationToken);

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int granted = 0, withdrawn = 0;
        for (var from = 0; from < customers; from += batch)
        {
            var to = Math.Min(customers, from + batch);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var customer = connection.CreateCommand();
            customer.Transaction = transaction;
            customer.CommandText = "INSERT INTO customers (brand_id, id, created_at_ms, erased_at_ms) VALUES ($brand, $id, $at, NULL);";
            customer.Parameters.AddWithValue("$brand", brandId);
            var customerId = customer.Parameters.Add("$id", SqliteType.Text);
            customer.Parameters.AddWithValue("$at", now);
            customer.Prepare();

            await using var consent = connection.CreateCommand();
            consent.Transaction = transaction;
            consent.CommandText = """
                INSERT INTO consents (brand_id, purpose, customer_id, status, lawful_basis, source, policy_version, recorded_at_ms, expires_at_ms)
                VALUES ($brand, $purpose, $id, $status, 'consent', 'benchmark-seed', 'v1', $at, NULL);
                """;
            consent.Parameters.AddWithValue("$brand", brandId);
            consent.Parameters.AddWithValue("$purpose", Purpose);
            var consentCustomer = consent.Parameters.Add("$id", SqliteType.Text);
            var status = consent.Parameters.Add("$status", SqliteType.Text);
            consent.Parameters.AddWithValue("$at", now);
            consent.Prepare();

            // Microsoft.Data.Sqlite's async calls run synchronously anyway: the plain ones spare a state machine per row.
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = from; i < to; i++)
            {
                customerId.Value = CustomerId(i);
                customer.ExecuteNonQuery();
                if (StatusOf(i, consentEvery) is not { } seeded) continue;
                consentCustomer.Value = CustomerId(i);
                status.Value = seeded;
                consent.ExecuteNonQuery();
                if (seeded == "granted") granted++;
                else withdrawn++;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return new SeedReport(customers, granted, withdrawn, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Into PostgreSQL, with binary COPY (one stream per table).</summary>
    public static async Task<SeedReport> SeedPostgresAsync(string connectionString, string brandId, int customers, int consentEvery,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY customers (brand_id, id, created_at_ms) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < customers; i++)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(brandId, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(CustomerId(i), NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        int granted = 0, withdrawn = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY consents (brand_id, purpose, customer_id, status, lawful_basis, source, policy_version, recorded_at_ms) FROM STDIN (FORMAT BINARY)",
                         cancellationToken))
        {
            for (var i = 0; i < customers; i++)
            {
                if (StatusOf(i, consentEvery) is not { } seeded) continue;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(brandId, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(Purpose, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(CustomerId(i), NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(seeded, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync("consent", NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync("benchmark-seed", NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync("v1", NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
                if (seeded == "granted") granted++;
                else withdrawn++;
            }
            await copy.CompleteAsync(cancellationToken);
        }
        // The planner should know the tables grew by a million rows before the report runs.
        await using (var analyze = new NpgsqlCommand("ANALYZE customers; ANALYZE consents;", connection))
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        return new SeedReport(customers, granted, withdrawn, Stopwatch.GetElapsedTime(started));
    }
}
