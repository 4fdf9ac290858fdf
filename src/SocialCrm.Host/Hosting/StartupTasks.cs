using Microsoft.Extensions.Options;
using SocialCrm.Grains.Security;
using SocialCrm.Host.Auth;
using SocialCrm.Persistence.Brands;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Runs before the silo starts: settles the bootstrap key, applies the schema (the silo's storage
/// needs its tables), settles the key ring that seals secrets, and indexes API keys issued before
/// the key index existed.
/// </summary>
public sealed class StartupTasks(
    SchemaInstaller schema,
    KeyRingStartup keyRing,
    BootstrapKey bootstrapKey,
    ApiKeyIndex keyIndex,
    IConfiguration configuration,
    IOptions<StorageOptions> storage,
    ILogger<StartupTasks> logger) : IHostedLifecycleService
{
    public const int MinimumBootstrapKeyLength = 32;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        SettleBootstrapKey();
        await schema.InstallAsync(cancellationToken);
        await keyRing.SettleAsync(cancellationToken);
        // Keys issued before the key index existed are indexed from their grains' state rows, once and idempotently.
        await keyIndex.IndexStoredKeysAsync(configuration.GetValue("Orleans:ServiceId", "socialcrm")!, cancellationToken);
    }

    private void SettleBootstrapKey()
    {
        var configured = configuration["Auth:BootstrapKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // The bootstrap key creates brands and opens the operator's pages: a short one could be guessed.
            if (configured.Trim().Length < MinimumBootstrapKeyLength)
                throw new InvalidOperationException(
                    $"Auth:BootstrapKey must be at least {MinimumBootstrapKeyLength} characters; generate one with `openssl rand -hex 32`.");
            bootstrapKey.Use(configured.Trim());
            return;
        }
        if (!DialectProfile.Of(storage.Value).GeneratesBootstrapKey)
        {
            logger.LogWarning("No Auth:BootstrapKey is configured: brands cannot be created on this node.");
            return;
        }
        var directory = PrivateFiles.Folder(storage.Value.DataDirectory);
        var hashFile = Path.Combine(directory, "bootstrap-key.sha256");
        if (File.Exists(hashFile))
        {
            PrivateFiles.Tighten(hashFile);
            bootstrapKey.UseHash(File.ReadAllText(hashFile).Trim());
            return;
        }
        var secret = Grains.Brands.ApiKeySecrets.NewSecret();
        PrivateFiles.Write(hashFile, Grains.Brands.ApiKeySecrets.Hash(secret));
        bootstrapKey.Use(secret);
        // Printed once, to the console only: the data folder keeps nothing but its hash.
        Console.WriteLine();
        Console.WriteLine("  Bootstrap key (shown once; keep it safe, it creates brands):");
        Console.WriteLine("  " + secret);
        Console.WriteLine();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
