using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocialCrm.Channels.Outbound;
using SocialCrm.Channels.Webhooks;
using SocialCrm.Grains.Bots;
using SocialCrm.Grains.Consent;
using SocialCrm.Grains.Customers;
using SocialCrm.Grains.Insights;
using SocialCrm.Grains.Conversations;
using SocialCrm.Grains.Recovery;
using SocialCrm.Grains.Security;
using SocialCrm.Persistence;

namespace SocialCrm.Grains;

/// <summary>Registration of what the grains depend on, shared by the host and the grain-level test clusters.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Everything a silo's grains need besides Orleans itself: the persistence layer, the clock,
    /// sealing of secrets at rest, the inbound pipeline, the platforms' outbound senders and the
    /// webhook sender, the brand event feed, the insights' reader and per-node tally, and the sweeps that resume pending replies and deliveries.
    /// </summary>
    public static IServiceCollection AddSocialCrmGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSocialCrmPersistence(configuration);
        services.AddSingleton(TimeProvider.System);
        // The API's ways to the privacy store's lists: it never takes a store itself.
        services.AddSingleton<CustomerList>();
        services.AddSingleton<ConsentReport>();
        services.AddSocialCrmSecretsAtRest(configuration);
        services.AddSingleton<GrainReferences>();
        services.AddSingleton<InboundPipeline>();
        services.AddSingleton<Automation.AutomationBooks>();
        services.AddHostedService<Recovery.AutomationRecovery>();
        services.Configure<ConversationStreamOptions>(configuration.GetSection(ConversationStreamOptions.Section));
        services.Configure<BrandEventOptions>(configuration.GetSection(BrandEventOptions.Section));
        services.AddSingleton<BrandEventFeed>();
        services.Configure<InsightOptions>(configuration.GetSection(InsightOptions.Section));
        services.AddSingleton<MessageReader>();
        services.AddSingleton<InsightTally>();
        services.AddHostedService(sp => sp.GetRequiredService<InsightTally>());
        services.AddOutboundSenders(configuration);
        services.AddWebhookSender(configuration);
        return services;
    }

    /// <summary>Replies leave through one sender per platform, with the retry policy of section <c>Outbound</c>; a sweep resumes those a crash left pending.</summary>
    private static void AddOutboundSenders(this IServiceCollection services, IConfiguration configuration)
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
    }

    /// <summary>Bot webhooks are delivered by one sender that refuses private networks unless allowed; a sweep wakes deliveries that are due.</summary>
    private static void AddWebhookSender(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddHttpClient(nameof(WebhookSender), c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = NetworkGuard.ConnectCallback(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks),
                // Through a proxy (HTTP_PROXY), the guard would check the proxy's address, not the bot's.
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false,
            });
        services.AddSingleton<WebhookSender>(sp => new WebhookSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookSender)), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<WebhookRecovery>();
    }
}
