using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SocialCrm.Host.Api;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Token buckets per API key on every <c>/v1</c> route, and per (brand, channel) where a channel's
/// platform traffic enters. A refused request is 429 <c>rate-limited</c> with <c>Retry-After</c> and
/// never reaches its endpoint. The buckets live in this node's memory, so limits are per node: a
/// cluster of N nodes lets a key through at up to N times the configured rate.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy of routes where platform traffic for a channel enters (route values <c>brandId</c>, <c>channelId</c>).</summary>
    public const string ChannelPolicy = "channel";

    // Key ids are "key_…" (Ids.New), so this partition cannot be taken by a brand key.
    private const string BootstrapPartition = "bootstrap";

    private static readonly PathString Api = new("/v1");
    private static readonly RateLimitPartition<string> UnlimitedKey = RateLimitPartition.GetNoLimiter(string.Empty);
    private static readonly RateLimitPartition<(string, string)> UnlimitedChannel = RateLimitPartition.GetNoLimiter((string.Empty, string.Empty));

    public static IServiceCollection AddSocialCrmRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // Factories are built once here: choosing a partition per request then allocates nothing.
        var perKey = Bucket<string>(configuration, "PermitsPerSecondPerKey", 1000, "BurstPerKey");
        var perChannel = Bucket<(string, string)>(configuration, "PermitsPerSecondPerChannel", 1000, "BurstPerChannel");
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            if (perKey is not null)
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => KeyPartition(context, perKey));
            options.AddPolicy(ChannelPolicy, context => ChannelPartition(context, perChannel));
        });
        return services;
    }

    // Only the API is metered: health, OpenAPI, metrics and dashboards stay reachable when a key is over its limit.
    private static RateLimitPartition<string> KeyPartition(HttpContext context, Func<string, RateLimiter> bucket)
    {
        if (!context.Request.Path.StartsWithSegments(Api)) return UnlimitedKey;
        var user = context.User;
        var keyId = user.FindFirst(ApiKeyClaims.KeyId)?.Value
            ?? (user.IsInRole(ApiKeyClaims.BootstrapRole) ? BootstrapPartition : null);
        return keyId is null ? UnlimitedKey : RateLimitPartition.Get(keyId, bucket);
    }

    private static RateLimitPartition<(string, string)> ChannelPartition(HttpContext context, Func<(string, string), RateLimiter>? bucket)
    {
        var route = context.Request.RouteValues;
        if (bucket is null || route["brandId"] is not string brandId || route["channelId"] is not string channelId) return UnlimitedChannel;
        return RateLimitPartition.Get((brandId, channelId), bucket);
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.RateLimited().ExecuteAsync(rejected.HttpContext);
    }

    /// <summary>
    /// A token bucket of <c>RateLimiting:{rateName}</c> permits a second and a burst of
    /// <c>RateLimiting:{burstName}</c> (default twice the rate), or null when the rate is 0 (off).
    /// </summary>
    private static Func<TKey, RateLimiter>? Bucket<TKey>(IConfiguration configuration, string rateName, int defaultRate, string burstName)
    {
        var section = configuration.GetSection("RateLimiting");
        var rate = section.GetValue(rateName, defaultRate);
        if (rate < 0) throw new InvalidOperationException($"RateLimiting:{rateName} must be 0 (off) or more.");
        if (rate == 0) return null;
        var burst = section.GetValue(burstName, (int)Math.Min(2L * rate, int.MaxValue));
        if (burst < 1) throw new InvalidOperationException($"RateLimiting:{burstName} must be at least 1.");
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = rate,
            // The partitioned limiter tops buckets up on its own 100 ms tick, once a period has passed.
            // A period just under a second is met on the tenth tick, so a bucket gains `rate` every
            // second; a full second would often be met only on the eleventh.
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(950),
            QueueLimit = 0,
            // The partitioned limiter replenishes its partitions itself, and drops a partition whose
            // bucket has stayed full (idle) for 10 s: keys and channels that go quiet cost no memory.
            AutoReplenishment = false,
        };
        return _ => new TokenBucketRateLimiter(options);
    }
}
