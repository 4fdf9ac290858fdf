using System.Data;

namespace SocialCrm.Persistence.Storage;

/// <summary>A typed query parameter; the type matters for nulls (PostgreSQL must know it).</summary>
public readonly record struct SqlArg(string Name, object? Value, DbType Type)
{
    public static SqlArg Text(string name, string? value) => new(name, value, DbType.String);

    public static SqlArg Int64(string name, long? value) => new(name, value, DbType.Int64);

    public static SqlArg Int32(string name, int? value) => new(name, value, DbType.Int32);

    public static SqlArg Double(string name, double? value) => new(name, value, DbType.Double);

    public static SqlArg Bool(string name, bool value) => new(name, value, DbType.Boolean);
}

/// <summary>One named query of the catalog with its arguments: a unit of work for the group commit.</summary>
public sealed record SqlStatement(string Query, IReadOnlyList<SqlArg> Args);
