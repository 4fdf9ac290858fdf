using System.Collections.Concurrent;
using Orleans.Metadata;

namespace SocialCrm.Grains;

/// <summary>
/// References to string-keyed grains for the per-message path. <c>GetGrain&lt;T&gt;(key)</c> asks the
/// interface for its Orleans attributes by reflection on every call, a few percent of the CPU of each
/// inbound message; the interface and grain types are resolved here once per interface instead.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains, GrainInterfaceTypeResolver interfaces, GrainInterfaceTypeToGrainTypeResolver grainTypes)
{
    private readonly ConcurrentDictionary<Type, (GrainInterfaceType Interface, GrainType Grain)> _resolved = new();

    public T Get<T>(string key) where T : IGrainWithStringKey
    {
        var (interfaceType, grainType) = _resolved.GetOrAdd(typeof(T), type =>
        {
            var resolved = interfaces.GetGrainInterfaceType(type);
            return (resolved, grainTypes.GetGrainType(resolved));
        });
        return (T)grains.GetGrain(GrainId.Create(grainType, key), interfaceType);
    }
}
