using System.Globalization;

namespace SocialCrm.LoadTest;

/// <summary>A mistake on the command line: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The command line: a mode, then <c>--name value</c> pairs. Unknown names are refused, so a typo never runs silently with a default.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = [];

    private Arguments(string mode, Dictionary<string, string> values)
    {
        Mode = mode;
        _values = values;
    }

    public string Mode { get; }

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) throw new UsageException("Name a mode first.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3) throw new UsageException($"Expected --name, got '{name}'.");
            if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value.");
            values[name[2..]] = args[i + 1];
        }
        return new Arguments(args[0], values);
    }

    public string Text(string name, string? fallback = null)
    {
        _read.Add(name);
        if (_values.TryGetValue(name, out var value) && value.Length > 0) return value;
        return fallback ?? throw new UsageException($"--{name} is required.");
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Text(name, fallback.ToString(CultureInfo.InvariantCulture));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"--{name} must be a whole number from {min} to {max}.");
        return value;
    }

    public TimeSpan Seconds(string name, double fallback, double min, double max)
    {
        var text = Text(name, fallback.ToString(CultureInfo.InvariantCulture));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"--{name} must be a number of seconds from {min} to {max}.");
        return TimeSpan.FromSeconds(value);
    }

    /// <summary>The service's base address; anything but loopback is refused, since load goes only to this machine.</summary>
    public Uri LoopbackUrl(string name)
    {
        var text = Text(name);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new UsageException($"--{name} must be an http(s) URL.");
        if (!url.IsLoopback) throw new UsageException($"--{name} must be a loopback address (127.0.0.0/8, localhost or [::1]).");
        return url;
    }

    /// <summary>
    /// One or more comma-separated node addresses. Loopback only unless <c>--allow-remote 1</c>:
    /// a typo must not send load to a machine nobody meant to load.
    /// </summary>
    public IReadOnlyList<Uri> Urls(string name)
    {
        var allowRemote = Int("allow-remote", 0, 0, 1) == 1;
        var urls = new List<Uri>();
        foreach (var text in Text(name).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new UsageException($"--{name}: '{text}' is not an http(s) URL.");
            if (!url.IsLoopback && !allowRemote)
                throw new UsageException($"--{name}: '{text}' is not a loopback address; add --allow-remote 1 to load another machine.");
            urls.Add(url);
        }
        return urls.Count > 0 ? urls : throw new UsageException($"--{name} needs at least one URL.");
    }

    /// <summary>Call after reading every option: a name nobody read is a typo.</summary>
    public void RefuseUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException("Unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)) + ".");
    }
}
