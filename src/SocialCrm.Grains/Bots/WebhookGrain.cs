using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Security;
using SocialCrm.Abstractions.Telemetry;
using SocialCrm.Channels.Webhooks;
using SocialCrm.Grains.Conversations;
using SocialCrm.Grains.Security;
using SocialCrm.Persistence.Webhooks;

namespace SocialCrm.Grains.Bots;

/// <summary>How webhook deliveries are retried (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public int MaxAttempts { get; set; } = 8;

    public int InitialBackoffMs { get; set; } = 1_000;

    public int MaxBackoffMs { get; set; } = 300_000;

    /// <summary>Conversations whose next delivery is sent at the same time.</summary>
    public int Parallelism { get; set; } = 64;

    /// <summary>Allow webhooks on loopback and private networks (on-premise bots, tests). Off by default: SSRF.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>The delivery states of a webhook delivery.</summary>
public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>
/// Drains one webhook's outbox: per conversation (its lane) only the oldest pending delivery is
/// sent, so a retrying delivery holds back the later ones of its conversation and no other; lanes go
/// out in parallel. Kicked after each event, by a timer for retries, and by the node's sweep.
/// </summary>
[Reentrant]
public sealed class WebhookGrain(
    WebhookStore store,
    WebhookSender sender,
    SecretSealer sealer,
    IOptions<WebhookOptions> options,
    ILogger<WebhookGrain> logger,
    TimeProvider clock) : Grain, IWebhookGrain
{
    private string BrandId => Ids.BrandOf(this.GetPrimaryKeyString());

    private string WebhookId => Ids.LocalPart(this.GetPrimaryKeyString());

    private WebhookOptions Options => options.Value;

    private bool _draining;
    private bool _kickedWhileDraining;
    private IGrainTimer? _retryTimer;
    private (string Stored, string Secret)? _opened;

    async Task<Outcome<WebhookView>> IWebhookGrain.Register(WebhookRegistration registration)
    {
        var existing = await store.SubscriptionsAsync(BrandId);
        if (existing.Any(s => s.Id == WebhookId)) return Refusal.Conflict($"Webhook '{WebhookId}' already exists.");
        if (await NetworkGuard.CheckAsync(new Uri(registration.Url), Options.AllowPrivateNetworks) is { } why)
            return Refusal.Invalid("url", "is not allowed: " + why);
        await store.RegisterAsync(BrandId, WebhookId, registration.Url,
            sealer.SealWebhookSecret(this.GetPrimaryKeyString(), registration.Secret), registration.Events);
        return new WebhookView(WebhookId, registration.Url, registration.Events);
    }

    Task IWebhookGrain.Kick()
    {
        if (_draining) _kickedWhileDraining = true;
        else _ = DrainAsync();
        return Task.CompletedTask;
    }

    async Task<Outcome<IReadOnlyList<DeliveryView>>> IWebhookGrain.Deliveries(string? status, int limit)
    {
        if (!await ExistsAsync()) return Refusal.NotFound("Webhook");
        var rows = await store.ListAsync(BrandId, WebhookId, status, limit);
        return rows.Select(r => new DeliveryView(r.Id, r.EventType, r.Lane.Length == 0 ? null : r.Lane, r.Status, r.Attempts, r.LastError,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
            r.DeliveredAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null)).ToList();
    }

    async Task<Outcome<bool>> IWebhookGrain.Redeliver(string deliveryId)
    {
        if (!await store.RedeliverAsync(BrandId, WebhookId, deliveryId)) return Refusal.NotFound("Delivery");
        _ = DrainAsync();
        return true;
    }

    private async Task<bool> ExistsAsync() => (await store.SubscriptionsAsync(BrandId)).Any(s => s.Id == WebhookId);

    private async Task DrainAsync()
    {
        if (_draining) return;
        _draining = true;
        // Timer and kick turns carry no request context: the webhook acts for its own brand only.
        BrandContext.Set(BrandId);
        try
        {
            do
            {
                _kickedWhileDraining = false;
                var subscription = (await store.SubscriptionsAsync(BrandId)).FirstOrDefault(s => s.Id == WebhookId);
                if (subscription is null) return;
                while (await SendRoundAsync(subscription)) { }
            } while (_kickedWhileDraining);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Draining webhook {WebhookId} stopped; it resumes on the next kick.", WebhookId);
            ScheduleRetry(TimeSpan.FromSeconds(1));
        }
        finally
        {
            _draining = false;
        }
    }

    /// <summary>
    /// Walks every due lane of one fetch of the outbox, lanes in parallel (up to the configured
    /// number), each lane in order and stopping at its first failure; true when anything moved.
    /// </summary>
    private async Task<bool> SendRoundAsync(WebhookSubscription subscription)
    {
        var pending = await store.PendingAsync(BrandId, WebhookId, 1000);
        if (pending.Count == 0) return false;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lanes = pending.GroupBy(p => p.Lane).Select(g => g.ToList()).ToList();
        var due = lanes.Where(l => l[0].NextAttemptAtMs <= now).ToList();
        var progressed = false;
        var heldBack = long.MaxValue;
        using var slots = new SemaphoreSlim(Math.Max(1, Options.Parallelism));
        await Task.WhenAll(due.Select(async lane =>
        {
            await slots.WaitAsync();
            try
            {
                foreach (var delivery in lane)
                {
                    if (!await AttemptAsync(subscription, delivery))
                    {
                        // This lane waits for its retry; later events of the conversation wait behind it.
                        heldBack = Math.Min(heldBack, now + Options.InitialBackoffMs);
                        return;
                    }
                    progressed = true;
                }
            }
            finally
            {
                slots.Release();
            }
        }));
        var waiting = lanes.Where(l => l[0].NextAttemptAtMs > now).Select(l => l[0].NextAttemptAtMs).Append(heldBack).Min();
        if (waiting != long.MaxValue) ScheduleRetry(TimeSpan.FromMilliseconds(Math.Max(10, waiting - clock.GetUtcNow().ToUnixTimeMilliseconds())));
        return progressed;
    }

    private async Task<bool> AttemptAsync(WebhookSubscription subscription, PendingWebhookDelivery delivery)
    {
        var error = await sender.SendAsync(subscription.Url, Secret(subscription), new WebhookDelivery(delivery.Id, delivery.EventType, BrandId,
            delivery.Lane.Length == 0 ? null : delivery.Lane, DateTimeOffset.FromUnixTimeMilliseconds(delivery.CreatedAtMs), delivery.Data),
            CancellationToken.None);
        var attempts = delivery.Attempts + 1;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (error is null)
        {
            await store.RecordAttemptAsync(BrandId, delivery.Id, WebhookDeliveryStatus.Delivered, attempts, null, now, now);
            CountAttempt("delivered");
            return true;
        }
        if (attempts >= Options.MaxAttempts)
        {
            logger.LogWarning("Webhook {WebhookId} delivery {DeliveryId} dead-lettered after {Attempts} attempts: {Error}", WebhookId, delivery.Id, attempts, error);
            await store.RecordAttemptAsync(BrandId, delivery.Id, WebhookDeliveryStatus.Dead, attempts, error, now, null);
            CountAttempt("dead-lettered");
            return true;
        }
        var next = now + (long)Backoff.After(attempts, Options.InitialBackoffMs, Options.MaxBackoffMs).TotalMilliseconds;
        await store.RecordAttemptAsync(BrandId, delivery.Id, WebhookDeliveryStatus.Pending, attempts, error, next, null);
        CountAttempt("retrying");
        return false;
    }

    /// <summary>The secret in clear, opened once per stored value rather than for every delivery.</summary>
    private string Secret(WebhookSubscription subscription)
    {
        if (_opened is { } opened && opened.Stored == subscription.Secret) return opened.Secret;
        var secret = sealer.OpenWebhookSecret(this.GetPrimaryKeyString(), subscription.Secret);
        _opened = (subscription.Secret, secret);
        return secret;
    }

    // The outcome only: never the brand, the webhook or its URL.
    private static void CountAttempt(string outcome) =>
        SocialCrmMetrics.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private void ScheduleRetry(TimeSpan after)
    {
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(_ =>
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            return DrainAsync();
        }, new GrainTimerCreationOptions { DueTime = after, Period = Timeout.InfiniteTimeSpan, KeepAlive = true, Interleave = true });
    }
}
