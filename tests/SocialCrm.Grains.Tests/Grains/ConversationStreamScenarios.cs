using Orleans;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>An in-cluster bot: a grain subscribed to conversations' message.created stream, keyed like the conversation.</summary>
public interface IStreamProbeGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<ConversationEvent>> Received();
}

[ImplicitStreamSubscription(EventTypes.MessageCreated)]
public sealed class StreamProbeGrain : Grain, IStreamProbeGrain, IStreamSubscriptionObserver, IAsyncObserver<ConversationEvent>
{
    private readonly List<ConversationEvent> _received = [];

    public Task<IReadOnlyList<ConversationEvent>> Received() => Task.FromResult<IReadOnlyList<ConversationEvent>>(_received.ToList());

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<ConversationEvent>().ResumeAsync(this);

    public Task OnNextAsync(ConversationEvent item, StreamSequenceToken? token = null)
    {
        _received.Add(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>Conversations publish their events on Orleans streams, so a grain-based bot needs no HTTP.</summary>
public abstract class ConversationStreamScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task A_subscribed_grain_receives_message_created_for_its_conversation_in_order()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var first = await brand.Inbound.AcceptedAsync(Message("m-1", "ann", "first words"));
        await brand.Inbound.AcceptedAsync(Message("m-2", "ann", "second words"));

        var probe = cluster.Client.GetGrain<IStreamProbeGrain>($"{brand.BrandId}/{first.ConversationId}");
        IReadOnlyList<ConversationEvent> received = [];
        for (var i = 0; i < 100 && received.Count < 2; i++)
        {
            received = await probe.Received();
            if (received.Count < 2) await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Equal([1L, 2L], received.Select(e => e.Seq));
        Assert.All(received, e => Assert.Equal(EventTypes.MessageCreated, e.Type));
        Assert.Equal(first.MessageId, System.Text.Json.JsonDocument.Parse(received[0].Data).RootElement.GetProperty("messageId").GetString());
        Assert.Contains("second words", received[1].Data);
    }
}

[Trait("Backend", "sqlite")]
public sealed class ConversationStreamsOnSqlite(SqliteGrainCluster cluster)
    : ConversationStreamScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class ConversationStreamsOnPostgres(PostgresGrainCluster cluster)
    : ConversationStreamScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;
