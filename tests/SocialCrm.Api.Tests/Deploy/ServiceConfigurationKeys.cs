using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SocialCrm.Api.Tests.Deploy;

/// <summary>
/// The configuration keys the deployed service reads, found in its code rather than listed by hand:
/// keys read by name in the source of the host and the projects it references, and the properties of
/// the options classes bound to a <c>Section</c>.
/// </summary>
internal static partial class ServiceConfigurationKeys
{
    /// <summary>
    /// Variables read by a library straight from the environment, not through a key of ours. Each one
    /// is named here on purpose, with its reader.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LibraryVariables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "the OpenTelemetry OTLP exporter (documented in README.md, Configuration)",
    };

    public static IReadOnlySet<string> All { get; } = Find();

    /// <summary>The configuration key an environment variable sets: ASP.NET Core drops its ASPNETCORE_ prefix, and "__" is ":".</summary>
    public static string KeyOf(string variable) =>
        (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? variable["ASPNETCORE_".Length..] : variable).Replace("__", ":");

    public static bool IsRead(string variable) => LibraryVariables.ContainsKey(variable) || All.Contains(KeyOf(variable));

    private static HashSet<string> Find()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in ProjectsOfTheHost())
        {
            var directory = Path.GetDirectoryName(project)!;
            foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                foreach (Match m in KeyReadByName().Matches(File.ReadAllText(file))) keys.Add(m.Groups[1].Value);
            }
            foreach (var type in Assembly.Load(Path.GetFileNameWithoutExtension(project)).GetTypes())
            {
                if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } section) continue;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
                    keys.Add($"{section.GetRawConstantValue()}:{property.Name}");
            }
        }
        return keys;
    }

    /// <summary>The host's project file and every project it references, directly or not.</summary>
    private static IEnumerable<string> ProjectsOfTheHost()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([DeployFiles.PathOf("src/SocialCrm.Host/SocialCrm.Host.csproj")]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project)) continue;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }
        return seen;
    }

    // configuration["Auth:BootstrapKey"], builder.Configuration["urls"], configuration.GetValue("Orleans:SiloPort", ...)
    [GeneratedRegex("""(?:[Cc]onfiguration\[|(?<![A-Za-z])GetValue(?:<[^>]+>)?\()\s*"([^"]+)"\s*[\],)]""")]
    private static partial Regex KeyReadByName();
}
