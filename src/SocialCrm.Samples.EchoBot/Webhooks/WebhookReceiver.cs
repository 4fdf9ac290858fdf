using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SocialCrm.Samples.EchoBot.Conversations;

namespace SocialCrm.Samples.EchoBot.Webhooks;

/// <summary>
/// <c>POST /webhook</c>: proves a delivery came from the service and is neither stale nor a repeat,
/// then lets <see cref="CustomerReplies"/> answer it. The answer is 2xx only once the replies were
/// made, so that a failure (5xx) makes the service retry.
/// </summary>
public sealed class WebhookReceiver(
    WebhookSignature signature, RecentDeliveries recent, CustomerReplies replies, IOptions<WebhookOptions> options,
    IOptions<SocialCrmOptions> api, TimeProvider clock, ILogger<WebhookReceiver> logger)
{
    public const long MaxBodyBytes = 1_048_576;

    public async Task<Results<Ok, UnauthorizedHttpResult, BadRequest, Conflict, StatusCodeHttpResult>> ReceiveAsync(HttpRequest request)
    {
        var aborted = request.HttpContext.RequestAborted;
        // The signature covers the exact bytes sent, so it is checked on them before any parsing.
        var body = await ReadBodyAsync(request, aborted);
        if (body is null) return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var signatures = request.Headers[WebhookSignature.Header];
        if (signatures.Count != 1 || !signature.Matches(body, signatures[0]))
        {
            logger.LogWarning("Refused a delivery with a missing or wrong signature.");
            return TypedResults.Unauthorized();
        }
        if (!WebhookDelivery.TryParse(body, out var delivery))
        {
            logger.LogWarning("Refused a signed delivery without id, type or sentAt.");
            return TypedResults.BadRequest();
        }
        var window = options.Value;
        if (!delivery.IsFresh(clock.GetUtcNow(), window.MaxAge, window.AllowedClockSkew))
        {
            logger.LogWarning("Refused delivery {DeliveryId}: sent at {SentAt}, outside the replay window.", delivery.Id, delivery.SentAt);
            return TypedResults.Unauthorized();
        }

        // Keyed on the body's id, not the X-SocialCrm-Delivery header: only the body is signed, so
        // a replayed body cannot pass as new under another header.
        switch (recent.Claim(delivery.Id))
        {
            case DeliveryClaim.AlreadyHandled:
                logger.LogInformation("Delivery {DeliveryId} was handled before; acknowledged again.", delivery.Id);
                return TypedResults.Ok();
            case DeliveryClaim.InProgress:
                return TypedResults.Conflict();
        }

        var handled = false;
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            budget.CancelAfter(api.Value.Timeout);
            var outcome = delivery.CustomerMessage() is { } message
                ? await replies.AnswerAsync(message, budget.Token)
                : ReplyOutcome.Handled;
            handled = outcome == ReplyOutcome.Handled;
            return handled ? TypedResults.Ok() : TypedResults.StatusCode(StatusCodes.Status502BadGateway);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            logger.LogWarning("Delivery {DeliveryId}: the API did not answer in time; the service will retry.", delivery.Id);
            return TypedResults.StatusCode(StatusCodes.Status504GatewayTimeout);
        }
        finally
        {
            if (handled) recent.Complete(delivery.Id);
            else recent.Release(delivery.Id);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length > MaxBodyBytes ? null : buffer.ToArray();
    }
}

/// <summary>Wiring for the webhook feature.</summary>
public static class WebhookEndpoint
{
    public static IServiceCollection AddWebhookReceiver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Secret),
                "Webhook:Secret is not set. Set it (environment: Webhook__Secret) to the secret the webhook was registered with.")
            .Validate(o => o.MaxAge > TimeSpan.Zero && o.AllowedClockSkew >= TimeSpan.Zero && o.RememberedDeliveries > 0,
                "Webhook:MaxAge and Webhook:RememberedDeliveries must be positive, Webhook:AllowedClockSkew not negative.")
            .ValidateOnStart();
        services.AddSingleton(sp => new WebhookSignature(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Secret));
        services.AddSingleton(sp => new RecentDeliveries(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RememberedDeliveries));
        services.AddSingleton<WebhookReceiver>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    public static IEndpointRouteBuilder MapWebhook(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhook", (HttpRequest request, WebhookReceiver receiver) => receiver.ReceiveAsync(request));
        return routes;
    }
}
