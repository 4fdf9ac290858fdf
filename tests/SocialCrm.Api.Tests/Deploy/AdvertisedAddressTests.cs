using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SocialCrm.Host.Hosting;

namespace SocialCrm.Api.Tests.Deploy;

/// <summary>
/// Which address a clustered node gives the others: containers name it (Orleans:AdvertisedHost, a
/// compose service) or Kubernetes hands it the pod IP (Orleans:AdvertisedIP). The host is only built,
/// never started, so no database is needed.
/// </summary>
public sealed class AdvertisedAddressTests
{
    [Fact]
    public void A_node_given_a_host_name_advertises_the_address_it_resolves_to_and_listens_on_all_interfaces()
    {
        var endpoints = EndpointsOf(new() { ["Orleans:AdvertisedHost"] = "localhost" });

        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal(IPAddress.Any, endpoints.SiloListeningEndpoint?.Address);
        Assert.Equal(11111, endpoints.SiloPort);
    }

    [Fact]
    public void An_advertised_ip_wins_over_a_host_name()
    {
        var endpoints = EndpointsOf(new() { ["Orleans:AdvertisedIP"] = "10.1.2.3", ["Orleans:AdvertisedHost"] = "localhost" });

        Assert.Equal(IPAddress.Parse("10.1.2.3"), endpoints.AdvertisedIPAddress);
    }

    [Fact]
    public void A_node_given_neither_stays_on_loopback()
    {
        var endpoints = EndpointsOf([]);

        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint);
    }

    private static EndpointOptions EndpointsOf(Dictionary<string, string?> orleans)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = "Host=unused.invalid;Database=unused",
        }.Concat(orleans));
        builder.UseOrleans(silo => silo.ConfigureSilo(builder.Configuration));
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }
}
