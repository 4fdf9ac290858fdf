using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Customers;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>The storage services the grains depend on, shared by the host and the grain-level test cluster.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddSocialCrmStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddSingleton<SchemaInstaller>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<MessageLog>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<CustomerDirectory>();
        return services;
    }
}
