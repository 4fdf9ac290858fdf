using System.Net;
using Orleans.Serialization;
using Orleans.Storage;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Grains;
using SocialCrm.Grains.Conversations;
using SocialCrm.Grains.Security;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// The Orleans silo inside every node: localhost clustering on the embedded default, ADO.NET
/// membership and reminders on PostgreSQL and SQL Server; grain state always through Orleans'
/// ADO.NET storage in the same database.
/// </summary>
public static class SiloSetup
{
    /// <summary>The configuration section bound to Orleans' <c>ClusterMembershipOptions</c> on clustered nodes.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <param name="configureClustering">
    /// False when the caller brings its own membership, endpoints and cluster ids (the grain-level
    /// test cluster does); the host always configures them here.
    /// </param>
    public static void ConfigureSilo(this ISiloBuilder silo, IConfiguration configuration, bool configureClustering = true)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var profile = DialectProfile.Of(storage);
        var connectionString = profile.ConnectionString(storage);

        if (configureClustering) silo.ConfigureClustering(configuration, profile, connectionString);

        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = profile.OrleansInvariant;
            o.ConnectionString = connectionString;
        });
        AddStorage(GrainStorage.Name);
        // A driver's exception raised outside a grain call (e.g. while activating) still reaches the caller intact.
        silo.Services.Configure<ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("Npgsql");
            o.SupportedNamespacePrefixes.Add("Microsoft.Data");
        });
        // In-cluster bots subscribe to conversation streams. Memory streams: at most once, in order per
        // stream, lost with a silo; the durable, at-least-once path is the webhook outbox. Opt-in: a
        // publish costs about a third of an inbound message's CPU even when nobody listens.
        if (configuration.GetValue($"{ConversationStreamOptions.Section}:Enabled", false))
        {
            silo.AddMemoryStreams(ConversationStreams.Provider);
            AddStorage("PubSubStore");
        }
        // Grain calls join the trace of the request that made them (spans only when someone listens).
        silo.AddActivityPropagation();
        silo.AddIncomingGrainCallFilter<BrandScopeFilter>();
        silo.AddIncomingGrainCallFilter<StorageErrorFilter>();

        // Orleans' own serializer: versioned by the [Id] attributes, not by CLR type names as the JSON default is.
        void AddStorage(string name) => silo.AddAdoNetGrainStorage(name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = profile.OrleansInvariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // A cleared state leaves no row: a row's key columns hold the grain key, and an identity's key is a platform user id.
            o.DeleteStateOnClear = true;
        }));
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
