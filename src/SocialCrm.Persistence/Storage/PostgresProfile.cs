using System.Data.Common;
using Npgsql;

namespace SocialCrm.Persistence.Storage;

/// <summary>PostgreSQL through Npgsql: a database shared by the nodes of a cluster.</summary>
public sealed class PostgresProfile : DialectProfile
{
    private const long SchemaLockKey = 0x50C1A1C7;

    internal PostgresProfile()
    {
    }

    public override Dialect Dialect => Dialect.Postgres;

    public override string Folder => "postgres";

    public override string OrleansInvariant => "Npgsql";

    public override bool PositionalParameters => true;

    public override string? SchemaInstallLock => $"SELECT pg_advisory_xact_lock({SchemaLockKey})";

    public override string ConnectionString(StorageOptions options)
    {
        var configured = Dialects.RequiredConnectionString(options);
        // Statements that run thousands of times a second are worth preparing once per connection; and a
        // node should not take the server's whole connection budget (Npgsql's default pool is 100).
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 32;
        // An error's detail quotes row values ("Key (external_user_id)=(...)"): never fetched, so never logged.
        builder.IncludeErrorDetail = false;
        if (!configured.Contains("pool size", StringComparison.OrdinalIgnoreCase)) builder.MaxPoolSize = Dialects.DefaultMaxPoolSize;
        return builder.ToString();
    }

    public override DbDataSource CreateDataSource(string connectionString)
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

    protected override bool Raised(DbException exception) => exception is NpgsqlException;

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException pg && pg.SqlState == PostgresErrorCodes.UniqueViolation;

    public override bool IsTransient(DbException exception) => exception is NpgsqlException { IsTransient: true };
}
