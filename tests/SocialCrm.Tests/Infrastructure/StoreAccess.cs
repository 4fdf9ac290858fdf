using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SocialCrm.Tests.Infrastructure;

/// <summary>
/// Direct access to a node's database, for what a test must do behind the service's back: age rows,
/// tamper with the audit log as an attacker would, or look for erased bytes in the files.
/// </summary>
public static class StoreAccess
{
    public static async Task<int> ExecuteAsync(IReadOnlyDictionary<string, string?> storage, string sql, params (string Name, object Value)[] args)
    {
        await using var connection = Open(storage);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, args);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row the query returns, each as its column values (DBNull read as null).</summary>
    public static async Task<List<object?[]>> QueryAsync(IReadOnlyDictionary<string, string?> storage, string sql, params (string Name, object Value)[] args)
    {
        await using var connection = Open(storage);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, args);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>The embedded database's files (database, WAL, shared memory), or none on a server backend.</summary>
    public static IEnumerable<string> EmbeddedFiles(IReadOnlyDictionary<string, string?> storage) =>
        storage.TryGetValue("Storage:DataDirectory", out var directory) && directory is not null
            ? Directory.EnumerateFiles(directory, "socialcrm.db*")
            : [];

    public static bool FilesContain(IReadOnlyDictionary<string, string?> storage, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        foreach (var file in EmbeddedFiles(storage))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (buffer.ToArray().AsSpan().IndexOf(needle) >= 0) return true;
        }
        return false;
    }

    /// <summary>
    /// Where any of the values is stored in clear: on SQLite a byte search of the database files (WAL
    /// included), on a server every row of every table of ours and Orleans', text and binary columns alike.
    /// </summary>
    public static async Task<List<string>> WhereStoredAsync(IReadOnlyDictionary<string, string?> storage, params string[] values)
    {
        if (storage["Storage:Provider"] == "sqlite") return values.Where(v => FilesContain(storage, v)).Select(v => $"'{v}' in the database files").ToList();
        var tables = await QueryAsync(storage, storage["Storage:Provider"] == "postgres"
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sys.tables");
        var found = new List<string>();
        foreach (var table in tables.Select(t => (string)t[0]!))
        {
            foreach (var row in await QueryAsync(storage, $"SELECT * FROM {table}"))
            {
                foreach (var cell in row)
                {
                    var text = cell switch
                    {
                        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                        null => "",
                        _ => Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    found.AddRange(values.Where(v => text.Contains(v, StringComparison.Ordinal)).Select(v => $"'{v}' in {table}"));
                }
            }
        }
        return found;
    }

    private static DbConnection Open(IReadOnlyDictionary<string, string?> storage) => storage["Storage:Provider"] switch
    {
        "sqlite" => new SqliteConnection($"Data Source={Path.Combine(storage["Storage:DataDirectory"]!, "socialcrm.db")}"),
        "postgres" => new NpgsqlConnection(storage["Storage:ConnectionString"]),
        _ => new Microsoft.Data.SqlClient.SqlConnection(storage["Storage:ConnectionString"]),
    };
}
