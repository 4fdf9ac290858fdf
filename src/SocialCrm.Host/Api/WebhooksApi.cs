using SocialCrm.Abstractions.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Api;

public sealed record CreateWebhookRequest(string? Id, string? Url, string? Secret, IReadOnlyList<string>? Events);

public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events);

public sealed record DeliveryResponse(string Id, string Type, string? ConversationId, string Status, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>Bot webhooks: registration (admins), and the delivery log a bot can read and replay for its own webhook.</summary>
public static class WebhooksApi
{
    public static void MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/brands/{brandId}/webhooks");
        webhooks.MapPost("/", Register).RequireAuthorization(Policies.For(RoleSets.Administration)).ProducesProblem(409);
        var deliveries = webhooks.MapGroup("/{webhookId}/deliveries").RequireAuthorization(Policies.For(RoleSets.WebhookDeliveries));
        deliveries.MapGet("/", List).ProducesProblem(404);
        deliveries.MapPost("/{deliveryId}/redeliver", Redeliver).ProducesProblem(404);
    }

    private static async Task<Results<Created<WebhookResponse>, ProblemHttpResult, ValidationProblem>> Register(string brandId, CreateWebhookRequest? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        AdminRules.Webhook(errors, body?.Id, body?.Url, body?.Secret, body?.Events);
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, body!.Id!))
            .Register(new WebhookRegistration(body.Url!, body.Secret!, body.Events!.Distinct().ToList()));
        return ResultsOf.Map(outcome, w => TypedResults.Created($"/v1/brands/{brandId}/webhooks/{w.Id}", new WebhookResponse(w.Id, w.Url, w.Events)));
    }

    private static async Task<Results<Ok<IEnumerable<DeliveryResponse>>, ProblemHttpResult, ValidationProblem>> List(string brandId, string webhookId, string? status, int? limit, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!MayRead(user, webhookId)) return Problems.NotFound("Webhook");
        var errors = new FieldErrors();
        if (status is not null && status is not ("pending" or "delivered" or "dead" or "cancelled"))
            errors.Add("status", "must be pending, delivered, dead or cancelled.");
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > 1000) errors.Add("limit", "must be between 1 and 1000.");
        if (errors.Any) return errors.ToProblem();
        var outcome = await grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, webhookId)).Deliveries(status, pageSize);
        return ResultsOf.Map(outcome, rows => TypedResults.Ok(rows.Select(d =>
            new DeliveryResponse(d.Id, d.Type, d.ConversationId, d.Status, d.Attempts, d.LastError, d.CreatedAt, d.DeliveredAt))));
    }

    private static async Task<Results<Accepted, ProblemHttpResult, ValidationProblem>> Redeliver(string brandId, string webhookId, string deliveryId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!MayRead(user, webhookId) || !Ids.IsValid(deliveryId)) return Problems.NotFound("Webhook or delivery");
        var outcome = await grains.GetGrain<IWebhookGrain>(Ids.Scoped(brandId, webhookId)).Redeliver(deliveryId);
        return ResultsOf.Map(outcome, _ => TypedResults.Accepted((string?)null));
    }

    /// <summary>Admins see every webhook; a bot key only the webhook it was bound to.</summary>
    private static bool MayRead(ClaimsPrincipal user, string webhookId) =>
        Ids.IsValid(webhookId) && (user.IsInRole(WireNames.Of(Role.Admin)) || user.FindFirst(ApiKeyClaims.Webhook)?.Value == webhookId);
}
