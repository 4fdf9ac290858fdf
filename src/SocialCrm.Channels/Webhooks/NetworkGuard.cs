using System.Net;
using System.Net.Sockets;

namespace SocialCrm.Channels.Webhooks;

/// <summary>
/// SSRF defence: by default a webhook may reach only globally routable unicast addresses, never
/// loopback, private, link-local or other special-purpose ones. Checked when a webhook is registered, and again on every connection, so a DNS answer
/// that changes later cannot point a delivery inside the network.
/// </summary>
public static class NetworkGuard
{
    /// <summary>
    /// Whether the address is globally reachable unicast, outside every special-purpose block of the
    /// IANA IPv4 and IPv6 registries. An IPv6 address that embeds an IPv4 one (v4-mapped, v4-compatible,
    /// v4-translated, NAT64, 6to4, Teredo) is refused whatever it embeds: a translator or relay in the
    /// path decides where such a packet lands (64:ff9b::a9fe:a9fe is the metadata service behind NAT64),
    /// and a real webhook host has a plain IPv4 or IPv6 address.
    /// </summary>
    public static bool IsPublic(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => IsPublicV6(address.GetAddressBytes()),
        _ => false,
    };

    private static bool IsPublicV4(byte[] a) => a switch
    {
        [0, ..] or [10, ..] or [127, ..] => false,                      // "this network", private, loopback
        [100, >= 64 and <= 127, ..] => false,                           // carrier-grade NAT (shared address space)
        [169, 254, ..] => false,                                        // link-local, cloud metadata
        [172, >= 16 and <= 31, ..] => false,                            // private
        [192, 0, 0, _] or [192, 0, 2, _] => false,                      // IETF protocol assignments; TEST-NET-1
        [192, 88, 99, _] => false,                                      // 6to4 relay anycast (deprecated)
        [192, 168, ..] => false,                                        // private
        [198, 18 or 19, ..] => false,                                   // benchmarking
        [198, 51, 100, _] or [203, 0, 113, _] => false,                 // TEST-NET-2 and -3
        [>= 224, ..] => false,                                          // multicast, reserved 240/4, broadcast
        _ => true,
    };

    // Only global unicast 2000::/3 may be reached, which leaves out ::/128, ::1, ::ffff:0:0/96, ::a.b.c.d,
    // ::ffff:0:a.b.c.d, 64:ff9b::/96, 64:ff9b:1::/48, 100::/64, 5f00::/16, fc00::/7, fe80::/10, fec0::/10
    // and multicast ff00::/8; within it, the blocks that are not anyone's host.
    private static bool IsPublicV6(byte[] a)
    {
        if ((a[0] & 0xE0) != 0x20) return false;
        int first = a[0] << 8 | a[1], second = a[2] << 8 | a[3];
        return !(
            (first == 0x2001 && second < 0x0200)                        // 2001::/23 IETF protocol assignments: Teredo, ORCHID, benchmarking, AMT, AS112
            || (first == 0x2001 && second == 0x0DB8)                    // documentation
            || first == 0x2002                                          // 6to4, embeds an IPv4 address
            || (first == 0x3FFF && second < 0x1000));                   // documentation (3fff::/20)
    }

    /// <summary>Resolves the URL's host; null when every address may be reached, else why not.</summary>
    public static async Task<string?> CheckAsync(Uri url, bool allowPrivateNetworks, CancellationToken cancellationToken = default)
    {
        if (allowPrivateNetworks) return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(url.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "its host name could not be resolved.";
        }
        return addresses.Length > 0 && addresses.All(IsPublic)
            ? null
            : "it points to a loopback, private, link-local or other special-purpose address (set Webhooks:AllowPrivateNetworks=true to allow).";
    }

    /// <summary>A connect callback that refuses internal addresses at connection time.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivateNetworks) =>
        async (context, cancellationToken) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowPrivateNetworks || IsPublic(a)).ToArray();
            if (allowed.Length == 0) throw new HttpRequestException("The webhook's address is not allowed (internal network).");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
