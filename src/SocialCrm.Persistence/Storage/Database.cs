using System.Data.Common;
using Microsoft.Extensions.Options;

namespace SocialCrm.Persistence.Storage;

/// <summary>The service's one ADO.NET entry: connections, named queries and their parameters.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly DbDataSource _dataSource;

    public Database(IOptions<StorageOptions> options)
        : this(options.Value, SqlCatalog.Load(Dialects.Parse(options.Value.Provider)))
    {
    }

    public Database(StorageOptions options, SqlCatalog catalog)
    {
        Options = options;
        Profile = catalog.Dialect.Profile();
        Catalog = catalog;
        ConnectionString = Profile.ConnectionString(options);
        _dataSource = Profile.CreateDataSource(ConnectionString);
    }

    public StorageOptions Options { get; }

    public Dialect Dialect => Profile.Dialect;

    /// <summary>What this database's dialect decides: ask it rather than compare dialects.</summary>
    public DialectProfile Profile { get; }

    public SqlCatalog Catalog { get; }

    public string ConnectionString { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = _dataSource.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A connection opened synchronously, for callers that cannot wait asynchronously (the key ring's repository).</summary>
    public DbConnection Open()
    {
        var connection = _dataSource.CreateConnection();
        connection.Open();
        return connection;
    }

    public DbCommand Command(DbConnection connection, string query, IReadOnlyList<SqlArg> args, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        var compiled = Catalog.Query(query);
        command.CommandText = compiled.Text;
        command.Transaction = transaction;
        compiled.Bind(command.Parameters, command.CreateParameter, args);
        return command;
    }

    public async Task<List<T>> QueryAsync<T>(string query, IReadOnlyList<SqlArg> args, Func<DbDataReader, T> map,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, query, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>Rows one at a time, for results too large to hold (reports, exports, chain checks).</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string query, IReadOnlyList<SqlArg> args, Func<DbDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, query, args);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return map(reader);
    }

    public async Task<T?> QuerySingleAsync<T>(string query, IReadOnlyList<SqlArg> args, Func<DbDataReader, T> map,
        CancellationToken cancellationToken = default) where T : class
    {
        var rows = await QueryAsync(query, args, map, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<int> ExecuteAsync(string query, IReadOnlyList<SqlArg> args, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, query, args);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

/// <summary>Readers' small conveniences for nullable columns.</summary>
public static class DataReaderExtensions
{
    public static string? StringOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64OrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal));

    public static long Int64(this DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal));

    public static double? DoubleOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static double Double(this DbDataReader reader, int ordinal) =>
        Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static bool Bool(this DbDataReader reader, int ordinal) => Convert.ToBoolean(reader.GetValue(ordinal));
}
