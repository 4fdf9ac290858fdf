using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SocialCrm.Api.Tests.Deploy;

/// <summary>
/// The repository's deployment files, read as Docker, Compose and Kubernetes would read them. None of
/// those can run on the build machine, so parsing is how the tests check them.
/// </summary>
internal static class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML file; each must be a mapping, as all of ours are.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadYaml(string relative)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(Read(relative))) stream.Load(reader);
        return stream.Documents
            .Select((d, i) => d.RootNode as YamlMappingNode
                ?? throw new InvalidDataException($"{relative}: document {i} is not a mapping."))
            .ToList();
    }

    public static YamlMappingNode Compose() => LoadYaml("docker-compose.yml").Single();

    /// <summary>The compose services built from <c>deploy/docker/Dockerfile</c>: the service's nodes.</summary>
    public static IReadOnlyDictionary<string, YamlNode> ComposeNodes(YamlMappingNode compose) =>
        compose.Get("services").Pairs()
            .Where(s => s.Value.Str("build", "dockerfile") == "deploy/docker/Dockerfile")
            .ToDictionary(s => s.Key, s => s.Value);

    /// <summary>A compose service's environment, written either as a mapping or as a list of NAME=value.</summary>
    public static Dictionary<string, string> ComposeEnvironment(YamlNode service)
    {
        var environment = service.Get("environment");
        if (environment is YamlSequenceNode list)
            return list.Items().Select(i => i.Scalar().Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        return environment.Pairs().ToDictionary(p => p.Key, p => p.Value.Scalar());
    }

    /// <summary>The host side of each published port (<c>[ip:]host:container</c>).</summary>
    public static IEnumerable<(string HostPort, string ContainerPort)> ComposePorts(YamlNode service) =>
        service.Get("ports").Items().Select(p => p.Scalar().Split('/')[0].Split(':')).Select(parts => (parts[^2], parts[^1]));

    /// <summary>Every manifest under deploy/k8s, by file (the kustomization is not a manifest).</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Document)> KubernetesManifests() =>
        Directory.GetFiles(PathOf("deploy/k8s"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(Path.GetFileName).Where(f => f != "kustomization.yaml")
            .SelectMany(f => LoadYaml("deploy/k8s/" + f!).Select(d => (f!, d)))
            .ToList();

    public static IEnumerable<YamlMappingNode> OfKind(this IEnumerable<(string File, YamlMappingNode Document)> manifests, string kind) =>
        manifests.Select(m => m.Document).Where(d => d.Str("kind") == kind);

    public static IReadOnlyList<DockerStage> Dockerfile() => DockerStage.Parse(Read("deploy/docker/Dockerfile"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "SocialCrm.Orleans.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No SocialCrm.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One <c>FROM</c> of a Dockerfile and the instructions under it, continuation lines joined.</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<(string Keyword, string Arguments)> Instructions)
{
    public IEnumerable<string> Arguments(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var stages = new List<(string Image, string? Name, List<(string, string)> Instructions)>();
        foreach (var line in JoinContinuations(text))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var keyword = parts[0].ToUpperInvariant();
            var arguments = parts.Length > 1 ? parts[1] : "";
            if (keyword == "FROM")
            {
                var from = Regex.Match(arguments, @"^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", RegexOptions.IgnoreCase);
                stages.Add((from.Groups[1].Value, from.Groups[2].Success ? from.Groups[2].Value : null, []));
            }
            else if (stages.Count > 0) stages[^1].Instructions.Add((keyword, arguments));
            else throw new InvalidDataException($"Dockerfile: '{keyword}' before the first FROM.");
        }
        return stages.Select(s => new DockerStage(s.Image, s.Name, s.Instructions)).ToList();
    }

    private static IEnumerable<string> JoinContinuations(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            // Docker drops comment lines, even in the middle of a continued instruction.
            if (line.Length == 0 && current.Length == 0 || line.StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            yield return Regex.Replace(current + line, @"\s+", " ").Trim();
            current = "";
        }
        if (current.Length > 0) yield return current.Trim();
    }
}

/// <summary>Small lookups on YamlDotNet's node model; a missing key is null, never an exception.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static string? Str(this YamlNode? node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static string Scalar(this YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new InvalidDataException($"Expected a scalar at {node.Start}.");

    public static IEnumerable<KeyValuePair<string, YamlNode>> Pairs(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(c => KeyValuePair.Create(c.Key.Scalar(), c.Value)) : [];

    public static IEnumerable<string> Keys(this YamlNode? node) => node.Pairs().Select(p => p.Key);

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode list ? list.Children : [];
}
