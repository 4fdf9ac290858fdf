using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Grains.Conversations;
using SocialCrm.Grains.Security;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Grains;

/// <summary>The silo side of the grains, shared by the host and the grain-level test clusters; membership and endpoints are the caller's.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Grain state and reminders through Orleans' ADO.NET providers in the service's database, the
    /// filters every grain call passes (brand scope, storage errors), trace propagation, and the
    /// conversation streams when section <c>Streams</c> enables them.
    /// </summary>
    public static ISiloBuilder AddSocialCrmGrainRuntime(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var profile = DialectProfile.Of(storage);
        var connectionString = profile.ConnectionString(storage);

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
        return silo;

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
}
