using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocialCrm.Host.Api;

namespace SocialCrm.Host.Auth;

/// <summary>
/// Slows key guessing. Each client may test a burst of keys it has not shown to work before (a bearer
/// key this node has not seen work, an operator key), then a few a minute: an attempt is taken from its
/// allowance before the key is tested, so requests sent together cannot outrun it, and given back when
/// the key works, so a working integration never spends any. Past its allowance the client's keys are
/// refused with 429 <c>rate-limited</c> and <c>Retry-After</c> without being tested; keys this node has
/// seen work still pass, so guessing from a shared address (a proxy, a NAT) does not lock their owners
/// out. A client is its address; an IPv6 client is its /64 and also shares a tenfold allowance with its
/// /48, which one subscriber may hold whole. Settings: <c>RateLimiting:FailedSignInsPerMinutePerAddress</c>
/// (0 turns it off) and <c>RateLimiting:FailedSignInBurstPerAddress</c>. Per node, like the other limits.
/// </summary>
public sealed class SignInThrottle
{
    /// <summary>Set on a request whose key was not tested: the seconds to wait (an <see cref="int"/>).</summary>
    public const string RetryAfterItem = "socialcrm:sign-in-retry-after";

    // An attacker with many addresses fills the table; past this many, idle allowances are swept, and a
    // client that cannot get one is refused (only for keys this node has not seen work).
    private const int MaxClients = 200_000;
    private const int NetworkFactor = 10;

    private readonly ConcurrentDictionary<string, Allowance> _allowances = new();
    private readonly double _burst;
    private readonly double _perSecond;
    private readonly TimeProvider _clock;
    private readonly ILogger<SignInThrottle> _logger;
    private long _lastSweep;
    private long _lastWarning;

    public SignInThrottle(IConfiguration configuration, TimeProvider clock, ILogger<SignInThrottle> logger)
    {
        _clock = clock;
        _logger = logger;
        var section = configuration.GetSection("RateLimiting");
        var perMinute = section.GetValue("FailedSignInsPerMinutePerAddress", 30);
        var burst = section.GetValue("FailedSignInBurstPerAddress", 20);
        if (perMinute < 0 || burst < 1) throw new InvalidOperationException(
            "RateLimiting:FailedSignInsPerMinutePerAddress must be 0 (off) or more and RateLimiting:FailedSignInBurstPerAddress at least 1.");
        _perSecond = perMinute / 60.0;
        _burst = burst;
    }

    private bool Enabled => _perSecond > 0;

    /// <summary>Takes one attempt from the client's allowance before a key is tested; false (and how long to wait) when it has none.</summary>
    public bool TryTake(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (!Enabled) return true;
        var now = _clock.GetTimestamp();
        var (address, network) = ClientOf(context);
        var own = AllowanceOf(address, 1, now);
        var shared = network is null ? null : AllowanceOf(network, NetworkFactor, now);
        if (own is null || (network is not null && shared is null))
        {
            retryAfterSeconds = 60;
            return Refused();
        }
        if (!own.TryTake(now, out var wait))
        {
            retryAfterSeconds = Seconds(wait);
            return Refused();
        }
        if (shared is not null && !shared.TryTake(now, out wait))
        {
            own.GiveBack();
            retryAfterSeconds = Seconds(wait);
            return Refused();
        }
        return true;
    }

    /// <summary>The key tested worked: the attempt taken for it is the client's again.</summary>
    public void GiveBack(HttpContext context)
    {
        if (!Enabled) return;
        var (address, network) = ClientOf(context);
        if (_allowances.TryGetValue(address, out var own)) own.GiveBack();
        if (network is not null && _allowances.TryGetValue(network, out var shared)) shared.GiveBack();
    }

    /// <summary>Marks the request as refused untested, for the 429 the authorization step answers.</summary>
    public static void MarkThrottled(HttpContext context, int retryAfterSeconds) => context.Items[RetryAfterItem] = retryAfterSeconds;

    /// <summary>The 429 for a request marked by <see cref="MarkThrottled"/>, or null.</summary>
    public static IResult? ThrottledAnswer(HttpContext context) =>
        context.Items[RetryAfterItem] is int seconds ? Refusal(context, seconds) : null;

    /// <summary>429 <c>rate-limited</c> with <c>Retry-After</c> for a client over its allowance.</summary>
    public static IResult Refusal(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.RateLimited("Too many failed authentications from this address; retry after the Retry-After seconds.");
    }

    private bool Refused()
    {
        // One line a minute at most: a guessing client must not flood the log either. No address: it
        // identifies a person as much as an attacker.
        var now = _clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (_clock.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            _logger.LogWarning("Untested keys are being refused for clients over their failed-authentication allowance ({Clients} tracked).", _allowances.Count);
        return false;
    }

    private Allowance? AllowanceOf(string client, int scale, long now)
    {
        if (_allowances.TryGetValue(client, out var existing)) return existing;
        if (_allowances.Count >= MaxClients && !Sweep(now)) return null;
        return _allowances.GetOrAdd(client, _ => new Allowance(_burst * scale, _perSecond * scale, now, _clock.TimestampFrequency));
    }

    // Drops allowances that have refilled (their clients stopped failing); at most once a second.
    private bool Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_clock.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
        {
            foreach (var (client, allowance) in _allowances)
                if (allowance.IsFull(now)) _allowances.TryRemove(client, out _);
        }
        return _allowances.Count < MaxClients;
    }

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>The client's address, and for IPv6 the /48 it shares an allowance with.</summary>
    private static (string Address, string? Network) ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return ("unknown", null);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return (address.ToString(), null);
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        var subscriber = new IPAddress(bytes) + "/64";
        Array.Clear(bytes, 6, 2);
        return (subscriber, new IPAddress(bytes) + "/48");
    }

    /// <summary>A token bucket: attempts left, refilled at its rate up to its burst.</summary>
    private sealed class Allowance(double burst, double perSecond, long stamp, long frequency)
    {
        private readonly Lock _gate = new();
        private double _tokens = double.PositiveInfinity;   // full: clamped to the burst at the first refill
        private long _stamp = stamp;

        public bool TryTake(long now, out TimeSpan wait)
        {
            lock (_gate)
            {
                Refill(now);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    wait = TimeSpan.Zero;
                    return true;
                }
                wait = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                return false;
            }
        }

        public void GiveBack()
        {
            lock (_gate) _tokens = Math.Min(burst, _tokens + 1);
        }

        public bool IsFull(long now)
        {
            lock (_gate)
            {
                Refill(now);
                return _tokens >= burst;
            }
        }

        private void Refill(long now)
        {
            _tokens = Math.Min(burst, _tokens + (now - _stamp) / (double)frequency * perSecond);
            _stamp = now;
        }
    }
}
