using System.Net;
using System.Net.Sockets;

namespace SocialCrm.Channels.Webhooks;

/// <summary>
/// SSRF defence: by default a webhook may not reach loopback, private, link-local or other internal
/// addresses. Checked when a webhook is registered, and again on every connection, so a DNS answer
/// that changes later cannot point a delivery inside the network.
/// </summary>
public static class NetworkGuard
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC);
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 when v4[1] is >= 64 and <= 127 => false,   // carrier-grade NAT
            169 when v4[1] == 254 => false,                 // link-local, cloud metadata
            172 when v4[1] is >= 16 and <= 31 => false,
            192 when v4[1] == 168 => false,
            >= 224 => false,                                // multicast and reserved
            _ => true,
        };
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
            : "it points to a loopback, private or link-local address (set Webhooks:AllowPrivateNetworks=true to allow).";
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
