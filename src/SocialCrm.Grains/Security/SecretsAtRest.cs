using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions;
using SocialCrm.Persistence.Secrets;
using SocialCrm.Persistence.Storage;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Security;

/// <summary>How the key ring's own keys are protected at rest (configuration section <c>DataProtection</c>).</summary>
public sealed class SecretsAtRestOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 file (.pfx) whose certificate encrypts every key of the ring; none: keys are stored unencrypted.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>
/// Channel and webhook secrets are sealed with ASP.NET Core Data Protection before they are stored.
/// The key ring lives apart from the data on one node (<c>&lt;DataDirectory&gt;/keys</c>) and in the
/// database on a cluster, so that every node opens what another sealed. Data Protection adds a key
/// every 90 days and keeps the old ones to open what they sealed.
/// </summary>
public static class SecretsAtRest
{
    /// <summary>Fixed, so every node of a cluster (and every version of the service) shares one ring.</summary>
    public const string ApplicationName = "SocialCrm";

    public static IServiceCollection AddSocialCrmSecretsAtRest(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var options = configuration.GetSection(SecretsAtRestOptions.Section).Get<SecretsAtRestOptions>() ?? new SecretsAtRestOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (DialectProfile.Of(storage).KeyRingInDataFolder)
        {
            var keys = PrivateFiles.Folder(Path.Combine(storage.DataDirectory, "keys"));
            services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((o, logs) => o.XmlRepository = new KeyRingFolder(keys, logs));
        }
        else
        {
            services.AddOptions<KeyManagementOptions>().Configure<KeyRingTable>((o, table) => o.XmlRepository = new DatabaseKeyRing(table));
        }
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword));
        services.AddSingleton<SecretSealer>();
        services.AddSingleton<KeyRingStartup>();
        return services;
    }

    /// <summary>The ring in the database: one row per XML element, read by every node.</summary>
    private sealed class DatabaseKeyRing(KeyRingTable table) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => table.Elements().Select(xml => XElement.Parse(xml)).ToList();

        public void StoreElement(XElement element, string friendlyName) =>
            table.Store(string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>The ring in a private folder of the data directory: Data Protection's own files, each made 0600.</summary>
    private sealed class KeyRingFolder(string directory, ILoggerFactory logs) : IXmlRepository
    {
        private readonly FileSystemXmlRepository _files = new(new DirectoryInfo(directory), logs);

        public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            _files.StoreElement(element, friendlyName);
            // Written with the process's umask; the folder (0700) already keeps others out meanwhile.
            foreach (var file in Directory.EnumerateFiles(directory, "*.xml")) PrivateFiles.Tighten(file);
        }
    }
}

/// <summary>
/// What a node settles before it serves: a key in the ring (made by one node of a new cluster, not by
/// each), and the webhook secrets an earlier version stored in clear, sealed.
/// </summary>
public sealed class KeyRingStartup(
    IKeyManager keys,
    KeyRingTable table,
    IOptions<KeyManagementOptions> options,
    SecretSealer sealer,
    WebhookStore webhooks,
    TimeProvider clock,
    ILogger<KeyRingStartup> logger)
{
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        if (!HasCurrentKey())
            await table.ExclusivelyAsync(() =>
            {
                if (HasCurrentKey()) return;
                var now = clock.GetUtcNow();
                keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
            }, cancellationToken);
        await SealClearWebhookSecretsAsync(cancellationToken);
    }

    private bool HasCurrentKey()
    {
        var now = clock.GetUtcNow();
        return keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now);
    }

    private async Task SealClearWebhookSecretsAsync(CancellationToken cancellationToken)
    {
        var sealedCount = 0;
        foreach (var (brandId, id, stored) in await webhooks.StoredSecretsAsync(cancellationToken))
        {
            if (SecretSealer.IsSealed(stored)) continue;
            await webhooks.SealSecretAsync(brandId, id, stored, sealer.SealWebhookSecret(Ids.Scoped(brandId, id), stored), cancellationToken);
            sealedCount++;
        }
        if (sealedCount > 0) logger.LogInformation("Sealed {Count} webhook secrets stored in clear by an earlier version.", sealedCount);
    }
}
