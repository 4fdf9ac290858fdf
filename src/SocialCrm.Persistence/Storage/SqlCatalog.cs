namespace SocialCrm.Persistence.Storage;

/// <summary>
/// The SQL of one dialect, read from <c>sql/&lt;dialect&gt;/</c> beside the binaries (the files of
/// <c>deploy/sql</c>): schema scripts split on <c>-- go</c> lines, and named queries.
/// </summary>
public sealed partial class SqlCatalog
{
    /// <summary>Schema scripts in the order they are applied.</summary>
    public static readonly string[] SchemaFiles = ["orleans.sql", "socialcrm.sql"];

    private readonly Dictionary<string, SqlQuery> _queries;

    private SqlCatalog(Dialect dialect, string folder, Dictionary<string, string> queries)
    {
        Dialect = dialect;
        Folder = folder;
        _queries = queries.ToDictionary(q => q.Key, q => dialect.Profile().PositionalParameters ? Positional(q.Value) : new SqlQuery(q.Value, null),
            StringComparer.Ordinal);
    }

    public Dialect Dialect { get; }

    public string Folder { get; }

    public static SqlCatalog Load(Dialect dialect, string? baseDirectory = null)
    {
        var folder = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, "sql", dialect.Profile().Folder);
        var queriesFile = Path.Combine(folder, "queries.sql");
        if (!File.Exists(queriesFile))
            throw new FileNotFoundException($"The SQL catalog for {dialect} is missing.", queriesFile);
        return new SqlCatalog(dialect, folder, ParseNamedQueries(File.ReadAllText(queriesFile)));
    }

    /// <summary>The suffix of a write's many-rows form: the same write for a whole batch, each value an array.</summary>
    public const string RowsSuffix = "+rows";

    /// <summary>The many-rows form of a write, where this dialect has one.</summary>
    public SqlQuery? RowsForm(string name) => _queries.GetValueOrDefault(name + RowsSuffix);

    /// <summary>A query as it is sent: on PostgreSQL with positional placeholders, its values bound in that order.</summary>
    public SqlQuery Query(string name) =>
        _queries.TryGetValue(name, out var query) ? query : throw new KeyNotFoundException($"No query named '{name}' for {Dialect}.");

    /// <summary>
    /// Npgsql parses and rewrites every statement that has named parameters, each time it runs: a tenth
    /// of the writer's allocations. Written once as <c>$1..$n</c>, the text goes to the server as it is.
    /// </summary>
    internal static SqlQuery Positional(string sql)
    {
        var names = new List<string>();
        var text = NamedParameter().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            var index = names.IndexOf(name);
            if (index < 0)
            {
                names.Add(name);
                index = names.Count - 1;
            }
            return "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        return new SqlQuery(text, [.. names]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![@\w])@([A-Za-z_]\w*)")]
    private static partial System.Text.RegularExpressions.Regex NamedParameter();

    /// <summary>The statements of the schema scripts, each to run as one command.</summary>
    public IEnumerable<(string File, string Sql)> SchemaChunks()
    {
        foreach (var file in SchemaFiles)
        {
            var path = Path.Combine(Folder, file);
            if (!File.Exists(path)) continue;
            foreach (var chunk in SplitOnGo(File.ReadAllText(path)))
                yield return (file, chunk);
        }
    }

    internal static IEnumerable<string> SplitOnGo(string script)
    {
        var current = new System.Text.StringBuilder();
        foreach (var line in script.Split('\n'))
        {
            if (line.Trim().Equals("-- go", StringComparison.OrdinalIgnoreCase))
            {
                if (HasSql(current.ToString())) yield return current.ToString().Trim();
                current.Clear();
                continue;
            }
            current.Append(line).Append('\n');
        }
        if (HasSql(current.ToString())) yield return current.ToString().Trim();
    }

    internal static Dictionary<string, string> ParseNamedQueries(string text)
    {
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var body = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("-- name:", StringComparison.Ordinal))
            {
                Flush();
                name = trimmed["-- name:".Length..].Trim();
                continue;
            }
            if (name is not null && !trimmed.StartsWith("--", StringComparison.Ordinal)) body.Append(line).Append('\n');
        }
        Flush();
        return queries;

        void Flush()
        {
            if (name is not null) queries[name] = body.ToString().Trim();
            body.Clear();
        }
    }

    private static bool HasSql(string chunk) =>
        chunk.Split('\n').Any(l => l.Trim().Length > 0 && !l.Trim().StartsWith("--", StringComparison.Ordinal));
}

/// <summary>
/// The text of a query and, where placeholders are positional, the argument names in their order.
/// </summary>
public sealed record SqlQuery(string Text, string[]? Positions)
{
    /// <summary>Adds the arguments to a command's parameters: by name, or in the query's order.</summary>
    public void Bind(System.Data.Common.DbParameterCollection parameters, Func<System.Data.Common.DbParameter> create, IReadOnlyList<SqlArg> args)
    {
        if (Positions is null)
        {
            // Indexed loops: this runs for every statement, and foreach over the interface allocates.
            for (var i = 0; i < args.Count; i++) parameters.Add(Fill(create(), args[i], args[i].Name));
            return;
        }
        foreach (var name in Positions) parameters.Add(Fill(create(), Find(args, name), ""));
    }

    /// <summary>Binds many rows to a many-rows form: one array per parameter, a row's value at the row's index.</summary>
    public void BindRows(System.Data.Common.DbParameterCollection parameters, Func<System.Data.Common.DbParameter> create,
        IReadOnlyList<IReadOnlyList<SqlArg>> rows)
    {
        if (Positions is null) throw new InvalidOperationException("Many-rows forms use positional parameters.");
        foreach (var name in Positions)
        {
            var type = Find(rows[0], name).Type;
            Array values = type switch
            {
                System.Data.DbType.Int64 => new long?[rows.Count],
                System.Data.DbType.Int32 => new int?[rows.Count],
                System.Data.DbType.Boolean => new bool?[rows.Count],
                System.Data.DbType.Double => new double?[rows.Count],
                _ => new string?[rows.Count],
            };
            for (var i = 0; i < rows.Count; i++) values.SetValue(Find(rows[i], name).Value, i);
            var parameter = create();
            parameter.ParameterName = "";
            parameter.Value = values;
            parameters.Add(parameter);
        }
    }

    private static SqlArg Find(IReadOnlyList<SqlArg> args, string name)
    {
        for (var i = 0; i < args.Count; i++)
            if (string.Equals(args[i].Name, name, StringComparison.Ordinal)) return args[i];
        throw new ArgumentException($"No value given for @{name}.", nameof(args));
    }

    private static System.Data.Common.DbParameter Fill(System.Data.Common.DbParameter parameter, SqlArg arg, string name)
    {
        parameter.ParameterName = name;
        parameter.DbType = arg.Type;
        parameter.Value = arg.Value ?? DBNull.Value;
        return parameter;
    }
}
