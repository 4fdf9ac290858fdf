using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The inbound entry for cluster clients (the API calls <see cref="InboundPipeline"/> in-process).
/// A stateless worker, reentrant: it holds nothing, and each call mostly waits on the durable append.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class InboundGrain(InboundPipeline pipeline) : Grain, IInboundGrain
{
    Task<Outcome<InboundAccepted>> IInboundGrain.Receive(InboundRequest request)
    {
        var key = this.GetPrimaryKeyString();
        return pipeline.ReceiveAsync(Ids.BrandOf(key), Ids.LocalPart(key), request);
    }
}
