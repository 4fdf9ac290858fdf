using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SocialCrm.Testing;

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
    /// Where a stored value holds the text, or null: the bytes of the embedded database's files (free
    /// pages and the write-ahead log included), or on a server every text and binary column of every table.
    /// </summary>
    public static async Task<string?> WhereStoredAsync(IReadOnlyDictionary<string, string?> storage, string text)
    {
        if (storage["Storage:Provider"] == "sqlite")
        {
            if (!FilesContain(storage, text)) return null;
            // Which table, to say so: the bytes may also sit in free pages or the log, where no query sees them.
            foreach (var table in await QueryAsync(storage, "SELECT name FROM sqlite_master WHERE type = 'table'"))
            {
                var name = (string)table[0]!;
                var tableColumns = await QueryAsync(storage, $"SELECT name FROM pragma_table_info('{name}')");
                foreach (var column in tableColumns.Select(c => (string)c[0]!))
                {
                    var hits = await QueryAsync(storage, $"SELECT COUNT(*) FROM \"{name}\" WHERE instr(CAST(\"{column}\" AS BLOB), CAST(@t AS BLOB)) > 0", ("t", text));
                    if (Convert.ToInt64(hits[0][0]) > 0) return name + "." + column;
                }
            }
            return "free pages or the write-ahead log";
        }
        var postgres = storage["Storage:Provider"] == "postgres";
        var columns = await QueryAsync(storage, postgres
            ? "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
              + "AND data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')"
            : "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' "
              + "AND DATA_TYPE IN ('nvarchar', 'varchar', 'nchar', 'char', 'ntext', 'text', 'varbinary', 'binary', 'image')");
        Assert.NotEmpty(columns);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        foreach (var column in columns)
        {
            var (table, name, type) = ((string)column[0]!, (string)column[1]!, (string)column[2]!);
            var binary = type is "bytea" or "varbinary" or "binary" or "image";
            // Identifiers come from the catalog itself; the searched value is a parameter.
            var sql = postgres
                ? $"SELECT COUNT(*) FROM \"{table}\" WHERE " + (binary ? $"position(@b in \"{name}\") > 0" : $"strpos(\"{name}\"::text, @t) > 0")
                : $"SELECT COUNT(*) FROM dbo.[{table}] WHERE " + (binary ? $"CHARINDEX(@b, [{name}]) > 0" : $"CHARINDEX(@t, CAST([{name}] AS nvarchar(max))) > 0");
            var found = await QueryAsync(storage, sql, binary ? ("b", bytes) : ("t", text));
            if (Convert.ToInt64(found[0][0]) > 0) return table + "." + name;
        }
        return null;
    }

    /// <summary>Where any of the values is stored, one line each (<see cref="WhereStoredAsync"/>); empty when none is.</summary>
    public static async Task<List<string>> WhereAnyStoredAsync(IReadOnlyDictionary<string, string?> storage, params string[] values)
    {
        var found = new List<string>();
        foreach (var value in values)
            if (await WhereStoredAsync(storage, value) is { } where) found.Add($"'{value}' in {where}");
        return found;
    }

    private static DbConnection Open(IReadOnlyDictionary<string, string?> storage) => storage["Storage:Provider"] switch
    {
        "sqlite" => new SqliteConnection($"Data Source={Path.Combine(storage["Storage:DataDirectory"]!, "socialcrm.db")}"),
        "postgres" => new NpgsqlConnection(storage["Storage:ConnectionString"]),
        _ => new Microsoft.Data.SqlClient.SqlConnection(storage["Storage:ConnectionString"]),
    };
}
