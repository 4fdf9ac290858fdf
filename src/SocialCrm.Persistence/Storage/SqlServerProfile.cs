using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace SocialCrm.Persistence.Storage;

/// <summary>SQL Server through Microsoft.Data.SqlClient: a database shared by the nodes of a cluster.</summary>
public sealed class SqlServerProfile : DialectProfile
{
    internal SqlServerProfile()
    {
    }

    public override Dialect Dialect => Dialect.SqlServer;

    public override string Folder => "sqlserver";

    public override string OrleansInvariant => "Microsoft.Data.SqlClient";

    public override string? SchemaInstallLock =>
        "EXEC sp_getapplock @Resource = 'socialcrm-schema', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 120000";

    public override string ConnectionString(StorageOptions options) => Dialects.RequiredConnectionString(options);

    public override DbDataSource CreateDataSource(string connectionString) => SqlClientFactory.Instance.CreateDataSource(connectionString);

    protected override bool Raised(DbException exception) => exception is SqlException;

    public override bool IsUniqueViolation(DbException exception) => exception is SqlException { Number: 2601 or 2627 };

    public override bool IsTransient(DbException exception) => exception is SqlException sql && (sql.IsTransient
        || sql.Number is -2 or 20 or 64 or 233 or 1205 or 4060 or 4221 or 10053 or 10054 or 10060 or 10928 or 10929
            or 40143 or 40197 or 40501 or 40540 or 40613 or 49918 or 49919 or 49920);
}
