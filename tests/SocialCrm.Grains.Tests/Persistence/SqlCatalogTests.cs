using System.Text.RegularExpressions;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Grains.Tests.Persistence;

/// <summary>
/// The three dialects must offer the same queries with the same parameters: SQL Server cannot run
/// on our build machine, so this is how its catalog is kept in step with the two that do.
/// </summary>
public sealed partial class SqlCatalogTests
{
    [GeneratedRegex(@"@([a-z_]+)")]
    private static partial Regex Parameter();

    [Fact]
    public void Every_dialect_names_the_same_queries_with_the_same_parameters()
    {
        // A dialect may add many-rows forms of a write (PostgreSQL does); the rest is common to all.
        var catalogs = Enum.GetValues<Dialect>()
            .Select(d => (Dialect: d, Queries: Queries(d).Where(q => !q.Key.EndsWith(SqlCatalog.RowsSuffix, StringComparison.Ordinal))
                .ToDictionary(q => q.Key, q => q.Value)))
            .ToList();
        var reference = catalogs[0].Queries;
        Assert.NotEmpty(reference);
        foreach (var (dialect, queries) in catalogs.Skip(1))
        {
            Assert.Equal(reference.Keys.Order(), queries.Keys.Order());
            foreach (var (name, sql) in queries)
                Assert.True(Parameters(reference[name]).SetEquals(Parameters(sql)), $"{dialect} {name} has other parameters");
        }
    }

    [Fact]
    public void A_many_rows_form_takes_the_same_parameters_as_its_single_row_write()
    {
        var rowsForms = 0;
        foreach (var dialect in Enum.GetValues<Dialect>())
        {
            var queries = Queries(dialect);
            foreach (var (name, sql) in queries.Where(q => q.Key.EndsWith(SqlCatalog.RowsSuffix, StringComparison.Ordinal)))
            {
                var single = name[..^SqlCatalog.RowsSuffix.Length];
                Assert.True(queries.ContainsKey(single), $"{dialect} {name} has no single-row form");
                Assert.True(Parameters(queries[single]).SetEquals(Parameters(sql)), $"{dialect} {name} takes other parameters than {single}");
                rowsForms++;
            }
        }
        Assert.True(rowsForms >= 3, "PostgreSQL's many-rows writes were not found");
    }

    [Fact]
    public void Every_dialect_ships_both_schema_scripts_in_statements()
    {
        foreach (var dialect in Enum.GetValues<Dialect>())
        {
            var catalog = SqlCatalog.Load(dialect);
            var chunks = catalog.SchemaChunks().ToList();
            foreach (var file in SqlCatalog.SchemaFiles) Assert.Contains(chunks, c => c.File == file);
            Assert.All(chunks, c => Assert.False(string.IsNullOrWhiteSpace(c.Sql)));
            foreach (var table in new[] { "messages", "conversations", "conversation_participants", "OrleansQuery" })
                Assert.Contains(chunks, c => c.Sql.Contains(table, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Named_queries_split_at_their_name_lines_and_drop_comments()
    {
        var parsed = SqlCatalog.ParseNamedQueries("-- header\n-- name: A\nSELECT 1;\n-- a comment\n\n-- name: B\nSELECT\n  2;\n");
        Assert.Equal("SELECT 1;", parsed["A"]);
        Assert.Equal("SELECT\n  2;", parsed["B"]);
    }

    private static Dictionary<string, string> Queries(Dialect dialect)
    {
        var catalog = SqlCatalog.Load(dialect);
        var text = File.ReadAllText(Path.Combine(catalog.Folder, "queries.sql"));
        return SqlCatalog.ParseNamedQueries(text);
    }

    private static HashSet<string> Parameters(string sql) => Parameter().Matches(sql).Select(m => m.Groups[1].Value).ToHashSet();
}
