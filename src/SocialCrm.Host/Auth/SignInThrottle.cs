using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using SocialCrm.Host.Api;

namespace SocialCrm.Host.Auth;

/// <summary>
/// Slows key guessing: each client address may fail authentication (a wrong bearer key, a wrong
/// operator key) a burst of times and then a few times a minute; past that, every request from it
/// that carries a key is 429 <c>rate-limited</c> with <c>Retry-After</c> until it may try again,
/// before any key is looked at. Only failures count, so a working integration is never slowed.
/// Settings: <c>RateLimiting:FailedSignInsPerMinutePerAddress</c> (0 turns it off) and
/// <c>RateLimiting:FailedSignInBurstPerAddress</c>. Per node, like the other limits.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _failures;
    // Addresses over their budget, until when: checked on every request with a key, so it must be a cheap miss.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new();
    private readonly TimeProvider _clock;
    private readonly ILogger<SignInThrottle> _logger;
    private long _lastWarningTicks;

    public SignInThrottle(IConfiguration configuration, TimeProvider clock, ILogger<SignInThrottle> logger)
    {
        _clock = clock;
        _logger = logger;
        var section = configuration.GetSection("RateLimiting");
        var perMinute = section.GetValue("FailedSignInsPerMinutePerAddress", 30);
        var burst = section.GetValue("FailedSignInBurstPerAddress", 20);
        if (perMinute < 0 || burst < 1) throw new InvalidOperationException(
            "RateLimiting:FailedSignInsPerMinutePerAddress must be 0 (off) or more and RateLimiting:FailedSignInBurstPerAddress at least 1.");
        if (perMinute == 0) return;
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            // Replenished by the partitioned limiter, which also drops an address idle for 10 s with a full bucket.
            AutoReplenishment = false,
        };
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => options));
    }

    /// <summary>Whether requests from this client may not present a key now; if so, for how many seconds.</summary>
    public bool IsBlocked(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_failures is null || _blockedUntil.IsEmpty) return false;
        var address = AddressOf(context);
        if (!_blockedUntil.TryGetValue(address, out var until)) return false;
        var left = until - _clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            _blockedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(address, until));
            return false;
        }
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
        return true;
    }

    /// <summary>Counts one failed authentication against the client's address.</summary>
    public void RecordFailure(HttpContext context)
    {
        if (_failures is null) return;
        var address = AddressOf(context);
        using (var counted = _failures.AttemptAcquire(address))
        {
            // Counted within the budget, and some of it left: nothing to do. (0 permits asks whether any are left.)
            if (counted.IsAcquired)
            {
                using var left = _failures.AttemptAcquire(address, 0);
                if (left.IsAcquired) return;
            }
        }
        using var refusal = _failures.AttemptAcquire(address, 0);
        var wait = !refusal.IsAcquired && refusal.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? retryAfter
            : TimeSpan.FromSeconds(1);
        _blockedUntil[address] = _clock.GetUtcNow() + wait;
        WarnAtMostEveryMinute();
    }

    // One line a minute at most: a guessing client must not be able to flood the log either. No address:
    // it identifies a person as much as an attacker.
    private void WarnAtMostEveryMinute()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (now - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastWarningTicks, now, last) != last) return;
        _logger.LogWarning("Failed authentications are being throttled for {Addresses} client address(es).", _blockedUntil.Count);
    }

    /// <summary>The client's address; IPv6 clients by their /64, which one subscriber usually holds whole.</summary>
    public static string AddressOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// Refuses a request that presents a key (a bearer header, or the operator's login form) from a
    /// client over its failure budget, before anything is looked up.
    /// </summary>
    public static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var presentsKey = context.Request.Headers.Authorization.Count > 0
            || (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(OperatorLogin.LoginPath, StringComparison.OrdinalIgnoreCase));
        if (presentsKey && context.RequestServices.GetRequiredService<SignInThrottle>().IsBlocked(context, out var seconds))
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.RateLimited("Too many failed authentications from this address; retry after the Retry-After seconds.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    public void Dispose() => _failures?.Dispose();
}
