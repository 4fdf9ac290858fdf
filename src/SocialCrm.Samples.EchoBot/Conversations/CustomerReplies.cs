using Microsoft.Extensions.Options;

namespace SocialCrm.Samples.EchoBot.Conversations;

/// <summary>A customer's message as a delivery announced it.</summary>
public sealed record CustomerMessage(string BrandId, string ConversationId, string DeliveryId, string Text);

/// <summary>Whether a delivery is done with (even if the API declined) or should be tried again.</summary>
public enum ReplyOutcome { Handled, Retry }

/// <summary>The bot's behaviour: answer a customer, or hand the conversation to a person.</summary>
public sealed class CustomerReplies(SocialCrmApi api, ILogger<CustomerReplies> logger)
{
    public async Task<ReplyOutcome> AnswerAsync(CustomerMessage message, CancellationToken cancellationToken)
    {
        var reply = BotReply.To(message.Text);
        // The client message id comes from the delivery id: the service's retry of this delivery
        // then finds the reply already made instead of sending a second one.
        var clientMessageId = reply.HandsOver ? message.DeliveryId + "-handover" : message.DeliveryId;
        var outcome = await api.ReplyAsync(message.BrandId, message.ConversationId, reply.Text, clientMessageId, cancellationToken);
        if (outcome == ApiOutcome.Accepted && reply.HandsOver)
            outcome = await api.PassToHumanAsync(message.BrandId, message.ConversationId, cancellationToken);

        // Never the message text: it is the customer's personal data.
        switch (outcome)
        {
            case ApiOutcome.Accepted:
                logger.LogInformation("Delivery {DeliveryId}: answered ({Kind}) in conversation {ConversationId}.",
                    message.DeliveryId, reply.Kind, message.ConversationId);
                return ReplyOutcome.Handled;
            case ApiOutcome.NotInControl:
                logger.LogInformation("Delivery {DeliveryId}: humans control conversation {ConversationId}; the bot stays quiet.",
                    message.DeliveryId, message.ConversationId);
                return ReplyOutcome.Handled;
            case ApiOutcome.Refused:
                // Retrying an identical call would be refused again; the warning above names the problem.
                return ReplyOutcome.Handled;
            default:
                return ReplyOutcome.Retry;
        }
    }
}

/// <summary>Wiring for the replies feature.</summary>
public static class RepliesSetup
{
    public static IServiceCollection AddCustomerReplies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SocialCrmOptions>()
            .Bind(configuration.GetSection(SocialCrmOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.BotKey),
                "SocialCrm:BotKey is not set. Create a key with role 'bot' named after the bot (POST /v1/brands/{brandId}/api-keys) and set it (environment: SocialCrm__BotKey).")
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "SocialCrm:BaseUrl must be an absolute URL, e.g. http://127.0.0.1:5080.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "SocialCrm:Timeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton<CustomerReplies>();
        services.AddHttpClient<SocialCrmApi>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<SocialCrmOptions>>().Value;
            // A trailing slash keeps a base path (http://host/crm/) when relative routes are joined to it.
            http.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new("Bearer", options.BotKey);
            // The per-delivery budget (SocialCrmOptions.Timeout) bounds every call instead.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        return services;
    }
}
