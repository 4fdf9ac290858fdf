using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SocialCrm.Persistence.Brands;
using SocialCrm.Persistence.Channels;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Customers;
using SocialCrm.Persistence.Insights;
using SocialCrm.Persistence.Privacy;
using SocialCrm.Persistence.Secrets;
using SocialCrm.Persistence.Storage;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Persistence;

/// <summary>Registration of the persistence layer.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The database (section <c>Storage</c>), its schema installer, the group-commit writer and every
    /// store over the service's own tables: message log, inbox, customers, API keys, privacy, audit,
    /// webhooks, channel health, the key ring table and the insight aggregates.
    /// </summary>
    public static IServiceCollection AddSocialCrmPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton<Database>();
        services.AddSingleton<SchemaInstaller>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<MessageLog>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<Automation.AutomationStore>();
        services.AddSingleton<CustomerDirectory>();
        services.AddSingleton<ApiKeyIndex>();
        services.AddSingleton<PrivacyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<ChannelHealthStore>();
        services.AddSingleton<KeyRingTable>();
        services.AddSingleton<InsightStore>();
        return services;
    }
}
