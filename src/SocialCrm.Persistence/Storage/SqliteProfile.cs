using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SocialCrm.Persistence.Storage;

/// <summary>The embedded default: one file under the data folder, one node, one writer at a time.</summary>
public sealed class SqliteProfile : DialectProfile
{
    internal SqliteProfile()
    {
    }

    public override Dialect Dialect => Dialect.Sqlite;

    public override string Folder => "sqlite";

    // Orleans maps this name to Microsoft.Data.Sqlite.
    public override string OrleansInvariant => "System.Data.SQLite";

    public override string ConnectionString(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            if (file.Length > 0 && file != ":memory:" && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) PrivateFiles.Database(file);
            return options.ConnectionString;
        }
        var directory = PrivateFiles.Folder(options.DataDirectory);
        var database = Path.Combine(directory, "socialcrm.db");
        PrivateFiles.Database(database);
        return new SqliteConnectionStringBuilder
        {
            DataSource = database,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override DbDataSource CreateDataSource(string connectionString) => SqliteFactory.Instance.CreateDataSource(connectionString);

    // SQLite has one writer at a time: more loops would only queue on its lock.
    public override int GroupCommitWriters(StorageOptions options) => 1;

    // Durable means on disk: a commit in WAL mode with synchronous=FULL is fsynced. A large page cache
    // spares the writer most reads of the index pages it is about to change. The writer never
    // checkpoints inline: the checkpointer does it on a connection of its own.
    public override string? WriterConnectionSetup =>
        "PRAGMA synchronous = FULL; PRAGMA cache_size = -131072; " + SqliteCheckpointer.WriterPragmas;

    public override IAsyncDisposable? StartLogMaintenance(Database database, ILogger logger) => new SqliteCheckpointer(database, logger);

    // Erased text must not survive in free pages or the write-ahead log: rewrite the file and empty the log.
    public override IReadOnlyList<string> ScrubAfterErasure { get; } =
        ["PRAGMA wal_checkpoint(TRUNCATE);", "VACUUM;", "PRAGMA wal_checkpoint(TRUNCATE);"];

    public override bool TransactionalSchema => false;

    public override bool ClustersThroughDatabase => false;

    public override bool KeyRingInDataFolder => true;

    public override bool GeneratesBootstrapKey => true;

    protected override bool Raised(DbException exception) => exception is SqliteException;

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException sqlite && sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555;

    // SQLITE_BUSY, SQLITE_LOCKED
    public override bool IsTransient(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };
}
