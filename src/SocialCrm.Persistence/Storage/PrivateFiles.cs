namespace SocialCrm.Persistence.Storage;

/// <summary>
/// The embedded default's files are the service user's alone: folders 0700, files 0600 on Unix.
/// Files are created with that mode rather than tightened afterwards, so there is no moment when
/// another user could open them; files left by an earlier version are tightened at start.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (0700), or tightens it when it exists; returns its full path.</summary>
    public static string Folder(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }
        if (!Directory.Exists(full)) Directory.CreateDirectory(full, OwnerOnlyFolder);
        try
        {
            Tighten(full, OwnerOnlyFolder);
        }
        catch (UnauthorizedAccessException)
        {
            // A folder the service may write in but does not own (a mounted volume): its files stay private.
        }
        return full;
    }

    /// <summary>
    /// The SQLite database file, created empty (0600) before SQLite opens it: SQLite gives its
    /// <c>-wal</c> and <c>-shm</c> files the database file's mode. Leftover ones are tightened too.
    /// </summary>
    public static void Database(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        Create(path);
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
            if (File.Exists(path + suffix)) Tighten(path + suffix, OwnerOnlyFile);
    }

    /// <summary>Writes a whole file that only the service's user may read.</summary>
    public static void Write(string path, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, text);
            return;
        }
        Create(path);
        File.WriteAllText(path, text);
    }

    /// <summary>Tightens a file another component wrote (the key ring's files).</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path)) Tighten(path, OwnerOnlyFile);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Create(string path)
    {
        if (File.Exists(path))
        {
            Tighten(path, OwnerOnlyFile);
            return;
        }
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node or process created it first.
            Tighten(path, OwnerOnlyFile);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode mode)
    {
        // Only what is too open is changed: a file the operator made stricter stays so.
        if ((File.GetUnixFileMode(path) & ~mode) != 0) File.SetUnixFileMode(path, File.GetUnixFileMode(path) & mode);
    }
}
