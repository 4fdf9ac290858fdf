using System.Collections.Concurrent;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Webhooks;

/// <summary>A bot's subscription: where to POST which events, and the secret that signs them, as stored (sealed).</summary>
public sealed record WebhookSubscription(string Id, string Url, string Secret, IReadOnlySet<string> Events);

/// <summary>A delivery waiting in the outbox.</summary>
public sealed record PendingWebhookDelivery(string Id, string Lane, string EventType, string? Data, int Attempts, long NextAttemptAtMs, long CreatedAtMs);

/// <summary>A delivery as the deliveries listing shows it.</summary>
public sealed record WebhookDeliveryRow(string Id, string EventType, string Lane, string Status, int Attempts, string? LastError,
    long CreatedAtMs, long? DeliveredAtMs);

/// <summary>An event to notify subscribers of, before it is fanned out into one delivery per matching webhook.</summary>
public sealed record WebhookEvent(string Type, string Lane, long LaneSeq, string? CustomerId, string Data, long OccurredAtMs);

/// <summary>
/// Webhook subscriptions and the delivery outbox. Deliveries are created as statements that join
/// the event's own transaction (the message log's group commit), so an event that is stored always
/// has its deliveries, and one that is not never has them.
/// </summary>
public sealed class WebhookStore(Database database, GroupCommitWriter writer, TimeProvider clock)
{
    // Subscriptions change rarely and are read for every event: each node keeps them briefly.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<WebhookSubscription> Subscriptions)> _cache = new();

    public async Task RegisterAsync(string brandId, string id, string url, string secret, IReadOnlyCollection<string> events)
    {
        await writer.WriteAsync([new SqlStatement("InsertWebhook",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("id", id), SqlArg.Text("url", url), SqlArg.Text("secret", secret),
            SqlArg.Text("events", string.Join(' ', events)), SqlArg.Int64("created_at_ms", clock.GetUtcNow().ToUnixTimeMilliseconds()),
        ])]);
        _cache.TryRemove(brandId, out _);
    }

    /// <summary>Every webhook's stored secret, to seal those an earlier version stored in clear.</summary>
    public Task<List<(string BrandId, string Id, string Secret)>> StoredSecretsAsync(CancellationToken cancellationToken = default) =>
        database.QueryAsync("AllWebhookSecrets", [], r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken);

    /// <summary>Replaces a stored secret by its sealed form, unless it changed meanwhile (another node sealed it).</summary>
    public async Task SealSecretAsync(string brandId, string id, string stored, string sealedSecret, CancellationToken cancellationToken = default)
    {
        await database.ExecuteAsync("SealWebhookSecret",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", id), SqlArg.Text("secret", stored), SqlArg.Text("sealed", sealedSecret)],
            cancellationToken);
        _cache.TryRemove(brandId, out _);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> SubscriptionsAsync(string brandId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(brandId, out var cached) && now - cached.At < CacheLifetime) return cached.Subscriptions;
        var rows = await database.QueryAsync("WebhooksOfBrand", [SqlArg.Text("brand_id", brandId)],
            r => new WebhookSubscription(r.GetString(0), r.GetString(1), r.GetString(2),
                r.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet()), cancellationToken);
        _cache[brandId] = (now, rows);
        return rows;
    }

    /// <summary>
    /// The deliveries of these events to every subscription that wants them (one insert each), not
    /// written: the caller's transaction takes them (the message log's append), so they commit with the events.
    /// </summary>
    public static WebhookDeliveries Enqueue(string brandId, IReadOnlyList<WebhookSubscription> subscriptions, IReadOnlyList<WebhookEvent> events)
    {
        var statements = new List<SqlStatement>();
        foreach (var evt in events)
        {
            foreach (var s in subscriptions)
            {
                if (!s.Events.Contains(evt.Type)) continue;
                statements.Add(new SqlStatement("InsertDelivery",
                [
                    SqlArg.Text("brand_id", brandId), SqlArg.Text("id", SocialCrm.Abstractions.Ids.New("dlv")), SqlArg.Text("webhook_id", s.Id),
                    SqlArg.Text("lane", evt.Lane), SqlArg.Int64("lane_seq", evt.LaneSeq), SqlArg.Text("event_type", evt.Type),
                    SqlArg.Text("customer_id", evt.CustomerId), SqlArg.Text("payload", evt.Data), SqlArg.Int64("created_at_ms", evt.OccurredAtMs),
                ]));
            }
        }
        if (statements.Count == 0) return WebhookDeliveries.None;
        var webhookIds = subscriptions.Where(s => events.Any(e => s.Events.Contains(e.Type))).Select(s => s.Id).ToList();
        return new WebhookDeliveries(statements, webhookIds);
    }

    /// <summary>For an event that is not a log entry (an erasure): its deliveries in a transaction of their own.
    /// Returns the webhooks that got one.</summary>
    public async Task<IReadOnlyList<string>> EmitAsync(string brandId, WebhookEvent evt)
    {
        var deliveries = Enqueue(brandId, await SubscriptionsAsync(brandId), [evt]);
        if (deliveries.Statements.Count > 0) await writer.WriteAsync(deliveries.Statements);
        return deliveries.WebhookIds;
    }

    public Task<List<PendingWebhookDelivery>> PendingAsync(string brandId, string webhookId, int limit, CancellationToken cancellationToken = default) =>
        database.QueryAsync("PendingDeliveries",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("webhook_id", webhookId), SqlArg.Int32("limit", limit)],
            r => new PendingWebhookDelivery(r.GetString(0), r.GetString(1), r.GetString(2), r.StringOrNull(3), (int)r.Int64(4), r.Int64(5), r.Int64(6)),
            cancellationToken);

    public Task RecordAttemptAsync(string brandId, string deliveryId, string status, int attempts, string? lastError, long nextAttemptAtMs,
        long? deliveredAtMs) =>
        writer.WriteAsync([new SqlStatement("UpdateDeliveryAttempt",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("id", deliveryId), SqlArg.Text("status", status), SqlArg.Int32("attempts", attempts),
            SqlArg.Text("last_error", lastError), SqlArg.Int64("next_attempt_at_ms", nextAttemptAtMs), SqlArg.Int64("delivered_at_ms", deliveredAtMs),
        ])]);

    public Task<List<WebhookDeliveryRow>> ListAsync(string brandId, string webhookId, string? status, int limit, CancellationToken cancellationToken = default) =>
        database.QueryAsync("ListDeliveries",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("webhook_id", webhookId), SqlArg.Text("status", status), SqlArg.Int32("limit", limit)],
            r => new WebhookDeliveryRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), (int)r.Int64(4), r.StringOrNull(5),
                r.Int64(6), r.Int64OrNull(7)), cancellationToken);

    public async Task<bool> RedeliverAsync(string brandId, string webhookId, string deliveryId, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync("Redeliver",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("webhook_id", webhookId), SqlArg.Text("id", deliveryId),
            SqlArg.Int64("now_ms", clock.GetUtcNow().ToUnixTimeMilliseconds()),
        ], cancellationToken) == 1;

    public Task<List<(string BrandId, string WebhookId)>> DueWebhooksAsync(int limit, CancellationToken cancellationToken = default) =>
        database.QueryAsync("WebhooksWithDueDeliveries",
            [SqlArg.Int64("now_ms", clock.GetUtcNow().ToUnixTimeMilliseconds()), SqlArg.Int32("limit", limit)],
            r => (r.GetString(0), r.GetString(1)), cancellationToken);
}
