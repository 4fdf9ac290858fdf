using Microsoft.AspNetCore.Hosting;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// The embedded default keeps the database, the bootstrap key's hash and the key ring in one data
/// folder that only the service's user may enter, and every file in it only that user may read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderPermissions
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_folder_its_database_files_the_bootstrap_hash_and_the_key_ring_are_the_services_users_alone()
    {
        var storage = await new SqliteBackend().NewStorageAsync();
        var directory = storage["Storage:DataDirectory"]!;
        // A folder made by someone else's umask, as an older version or an operator left it.
        File.SetUnixFileMode(directory, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // No configured key: the node generates one and keeps its hash in the folder.
        await using var node = await new ServiceHost(storage, configure: b => b.UseSetting("Auth:BootstrapKey", "")).StartedAsync();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(directory));
        foreach (var name in new[] { "socialcrm.db", "socialcrm.db-wal", "socialcrm.db-shm", "bootstrap-key.sha256" })
            Assert.True(OwnerOnlyFile == File.GetUnixFileMode(Path.Combine(directory, name)), $"{name} is {File.GetUnixFileMode(Path.Combine(directory, name))}");
        var keys = Path.Combine(directory, "keys");
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(keys));
        var keyFiles = Directory.GetFiles(keys);
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles) Assert.True(OwnerOnlyFile == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}");
    }
}
