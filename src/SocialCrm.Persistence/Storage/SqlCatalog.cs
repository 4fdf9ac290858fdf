namespace SocialCrm.Persistence.Storage;

/// <summary>
/// The SQL of one dialect, read from <c>sql/&lt;dialect&gt;/</c> beside the binaries (the files of
/// <c>deploy/sql</c>): schema scripts split on <c>-- go</c> lines, and named queries.
/// </summary>
public sealed class SqlCatalog
{
    /// <summary>Schema scripts in the order they are applied.</summary>
    public static readonly string[] SchemaFiles = ["orleans.sql", "socialcrm.sql"];

    private readonly Dictionary<string, string> _queries;

    private SqlCatalog(Dialect dialect, string folder, Dictionary<string, string> queries)
    {
        Dialect = dialect;
        Folder = folder;
        _queries = queries;
    }

    public Dialect Dialect { get; }

    public string Folder { get; }

    public static SqlCatalog Load(Dialect dialect, string? baseDirectory = null)
    {
        var folder = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, "sql", dialect.Folder());
        var queriesFile = Path.Combine(folder, "queries.sql");
        if (!File.Exists(queriesFile))
            throw new FileNotFoundException($"The SQL catalog for {dialect} is missing.", queriesFile);
        return new SqlCatalog(dialect, folder, ParseNamedQueries(File.ReadAllText(queriesFile)));
    }

    public string this[string name] =>
        _queries.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"No query named '{name}' for {Dialect}.");

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
