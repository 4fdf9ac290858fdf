using Microsoft.Extensions.Options;
using SocialCrm.Channels.Outbound;
using SocialCrm.Channels.Webhooks;
using SocialCrm.Grains;
using SocialCrm.Grains.Bots;
using SocialCrm.Persistence.Webhooks;
using SocialCrm.Persistence.Channels;
using SocialCrm.Grains.Conversations;
using SocialCrm.Persistence.Brands;
using SocialCrm.Persistence.Conversations;
using SocialCrm.Persistence.Customers;
using SocialCrm.Persistence.Privacy;
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
        services.AddSingleton<ApiKeyIndex>();
        services.AddSingleton<PrivacyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<ChannelHealthStore>();
        services.AddSocialCrmSecretsAtRest(configuration);
        return services;
    }

    /// <summary>What messages pass through besides storage: the inbound pipeline, the outbound senders, and the events bots and consoles hear.</summary>
    public static IServiceCollection AddSocialCrmMessaging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSocialCrmInbound().AddSocialCrmOutbound(configuration).AddSocialCrmEvents(configuration);

    /// <summary>The inbound pipeline: normalized messages to their conversation.</summary>
    public static IServiceCollection AddSocialCrmInbound(this IServiceCollection services)
    {
        services.AddSingleton<GrainReferences>();
        services.AddSingleton<InboundPipeline>();
        return services;
    }

    /// <summary>Outbound senders per platform, the retry policy of replies, and the sweep that resumes them after a restart.</summary>
    public static IServiceCollection AddSocialCrmOutbound(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboundOptions>(configuration.GetSection(OutboundOptions.Section));
        services.AddHttpClient<WebChatSender>(c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient<MetaSender>(c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddHttpClient<XSender>(c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddHttpClient<XTokenRefresh>(c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<IOutboundSender>(sp => sp.GetRequiredService<WebChatSender>());
        services.AddSingleton<IOutboundSender>(sp => sp.GetRequiredService<MetaSender>());
        services.AddSingleton<IOutboundSender>(sp => sp.GetRequiredService<XSender>());
        services.AddSingleton<OutboundSenders>();
        services.AddHostedService<OutboundRecovery>();
        return services;
    }

    /// <summary>The conversation's events: webhook deliveries to bots, Orleans streams, the brand's live feed.</summary>
    public static IServiceCollection AddSocialCrmEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.Configure<ConversationStreamOptions>(configuration.GetSection(ConversationStreamOptions.Section));
        services.Configure<BrandEventOptions>(configuration.GetSection(BrandEventOptions.Section));
        services.AddSingleton<BrandEventFeed>();
        services.AddHttpClient(nameof(WebhookSender), c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = NetworkGuard.ConnectCallback(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false,
            });
        services.AddSingleton<WebhookSender>(sp => new WebhookSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookSender)), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<WebhookRecovery>();
        return services;
    }
}
