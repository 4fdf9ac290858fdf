using System.Data.Common;

namespace SocialCrm.Persistence.Storage;

/// <summary>
/// Every decision that depends on which database the service runs on, owned by one object per
/// dialect: callers ask the profile instead of comparing dialects. One shared instance per dialect.
/// </summary>
public abstract class DialectProfile
{
    public static readonly DialectProfile Sqlite = new SqliteProfile();
    public static readonly DialectProfile Postgres = new PostgresProfile();
    public static readonly DialectProfile SqlServer = new SqlServerProfile();

    private static readonly DialectProfile[] All = [Sqlite, Postgres, SqlServer];

    public static DialectProfile For(Dialect dialect) => dialect switch
    {
        Dialect.Sqlite => Sqlite,
        Dialect.Postgres => Postgres,
        _ => SqlServer,
    };

    /// <summary>The profile of the configured <c>Storage:Provider</c>.</summary>
    public static DialectProfile Of(StorageOptions options) => For(Dialects.Parse(options.Provider));

    /// <summary>The profile whose driver raised the exception, if any of ours did.</summary>
    public static DialectProfile? RaiserOf(DbException exception) => Array.Find(All, p => p.Raised(exception));

    public abstract Dialect Dialect { get; }

    /// <summary>The folder name under <c>deploy/sql</c>.</summary>
    public abstract string Folder { get; }

    /// <summary>The invariant name Orleans' ADO.NET providers use to load the driver.</summary>
    public abstract string OrleansInvariant { get; }

    /// <summary>The effective connection string: the configured one (tuned where the driver needs it), or the embedded database file.</summary>
    public abstract string ConnectionString(StorageOptions options);

    public abstract DbDataSource CreateDataSource(string connectionString);

    /// <summary>Whether named queries are rewritten once to positional placeholders (see <see cref="SqlCatalog"/>).</summary>
    public virtual bool PositionalParameters => false;

    /// <summary>How many group-commit writers write at once.</summary>
    public virtual int GroupCommitWriters(StorageOptions options) => Math.Clamp(options.EffectiveGroupCommitWriters, 1, 64);

    /// <summary>Statements a group-commit writer's connection runs once, when it opens; null for none.</summary>
    public virtual string? WriterConnectionSetup => null;

    /// <summary>A background task that keeps the database's log in check beside the writers; null when the database does it itself.</summary>
    public virtual IAsyncDisposable? StartLogMaintenance(Database database, Microsoft.Extensions.Logging.ILogger logger) => null;

    /// <summary>Statements that leave no copy of erased text in the database's files, run after an erasure; none where no such copy is readable.</summary>
    public virtual IReadOnlyList<string> ScrubAfterErasure => [];

    /// <summary>Whether the schema scripts run inside one transaction (all or nothing).</summary>
    public virtual bool TransactionalSchema => true;

    /// <summary>The statement that keeps nodes starting together from installing the schema at once; null on a one-node database.</summary>
    public virtual string? SchemaInstallLock => null;

    /// <summary>
    /// Whether nodes share the database and form a cluster through it (ADO.NET membership); otherwise
    /// the node is alone and uses localhost clustering.
    /// </summary>
    public virtual bool ClustersThroughDatabase => true;

    /// <summary>
    /// Whether the Data Protection key ring lives in the data folder (one node) rather than in the
    /// database, where every node of a cluster reads it; its lock is the catalog's <c>LockKeyRing</c>.
    /// </summary>
    public virtual bool KeyRingInDataFolder => false;

    /// <summary>Whether a node with no configured bootstrap key makes one and keeps its hash in the data folder (one node only).</summary>
    public virtual bool GeneratesBootstrapKey => false;

    /// <summary>Whether this dialect's driver raised the exception.</summary>
    protected abstract bool Raised(DbException exception);

    /// <summary>Whether the database refused a write because a unique key already holds the value.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Whether the same statement may well succeed in a moment (see <see cref="Dialects.IsTransient"/>).</summary>
    public abstract bool IsTransient(DbException exception);
}
