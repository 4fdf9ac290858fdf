using System.Net;
using SocialCrm.Grains;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// The Orleans silo inside every node: localhost clustering on the embedded default, ADO.NET
/// membership on PostgreSQL and SQL Server; the grains' own silo set-up (state, reminders, filters,
/// streams) is <see cref="SiloBuilderExtensions.AddSocialCrmGrainRuntime"/>.
/// </summary>
public static class SiloSetup
{
    /// <summary>The configuration section bound to Orleans' <c>ClusterMembershipOptions</c> on clustered nodes.</summary>
    public const string MembershipSection = "Orleans:Membership";

    public static void ConfigureSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var profile = DialectProfile.Of(storage);
        silo.ConfigureClustering(configuration, profile, profile.ConnectionString(storage));
        silo.AddSocialCrmGrainRuntime(configuration);
    }

    private static void ConfigureClustering(this ISiloBuilder silo, IConfiguration configuration, DialectProfile profile, string connectionString)
    {
        var siloPort = configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000);
        var clusterId = configuration.GetValue("Orleans:ClusterId", "socialcrm")!;
        var serviceId = configuration.GetValue("Orleans:ServiceId", "socialcrm")!;

        if (!profile.ClustersThroughDatabase)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
            return;
        }

        silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        var advertised = configuration["Orleans:AdvertisedIP"];
        // A container learns its address only when it starts: its host name (a compose service name) is resolved then.
        var advertisedHost = configuration["Orleans:AdvertisedHost"];
        if (advertised is null && advertisedHost is not null)
            silo.ConfigureEndpoints(advertisedHost, siloPort, gatewayPort, listenOnAnyHostAddress: true);
        else
            silo.ConfigureEndpoints(
                advertised is null ? IPAddress.Loopback : IPAddress.Parse(advertised),
                siloPort, gatewayPort, listenOnAnyHostAddress: advertised is not null);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = profile.OrleansInvariant;
            o.ConnectionString = connectionString;
        });
        // Failure detection and dead-entry cleanup (e.g. Orleans:Membership:ProbeTimeout). Unset keys
        // keep Orleans' defaults; the cluster tests shorten them so a killed node is declared dead quickly.
        silo.Services.AddOptions<Orleans.Configuration.ClusterMembershipOptions>()
            .Bind(configuration.GetSection(MembershipSection));
    }
}
