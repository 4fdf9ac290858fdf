using System.Net;
using SocialCrm.Channels.Webhooks;

namespace SocialCrm.Grains.Tests.Channels;

/// <summary>
/// The SSRF guard over address literals only: each address of the IANA special-purpose registries
/// (and every form that embeds an IPv4 address) is refused, real public addresses pass. Pure: no
/// connection, no DNS.
/// </summary>
public sealed class NetworkGuardTests
{
    [Theory]
    // IPv4 special-purpose registry
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.1")]
    [InlineData("192.0.0.9")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // IPv6 special-purpose registry
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::ffff:0:a9fe:a9fe")]
    [InlineData("::ffff:0:0808:0808")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("64:ff9b:1::10.0.0.1")]
    [InlineData("100::1")]
    [InlineData("2001::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:1::1")]
    [InlineData("2001:1::2")]
    [InlineData("2001:2::1")]
    [InlineData("2001:3::1")]
    [InlineData("2001:4:112::1")]
    [InlineData("2001:10::1")]
    [InlineData("2001:20::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2002:0808:0808::1")]
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("ff0e::1")]
    public void An_internal_special_or_ipv4_embedding_address_is_refused(string address) =>
        Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)), address + " must be refused");

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.0.1.1")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.1")]
    [InlineData("223.255.255.254")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450:4001:82b::200e")]
    public void A_global_unicast_address_is_allowed(string address) =>
        Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)), address + " is a public address");

    [Theory]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")]
    [InlineData("http://[::ffff:169.254.169.254]/hook")]
    [InlineData("http://[2002:a9fe:a9fe::1]/hook")]
    [InlineData("http://198.18.0.1/hook")]
    [InlineData("http://192.0.0.170/hook")]
    public async Task A_webhook_url_with_such_a_literal_is_refused_without_any_lookup(string url) =>
        Assert.NotNull(await NetworkGuard.CheckAsync(new Uri(url), allowPrivateNetworks: false, TestContext.Current.CancellationToken));
}
