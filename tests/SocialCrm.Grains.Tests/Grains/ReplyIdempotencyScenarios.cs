using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>An agent's client resending a reply (same clientMessageId) never sends it twice.</summary>
public abstract class ReplyIdempotencyScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task A_reply_sent_twice_with_the_same_client_message_id_is_stored_once_and_answered_with_the_first_ids()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        var first = await RepliedAsync(conversation, AgentReply("Your parcel left today.", "c-1"));
        var again = await RepliedAsync(conversation, AgentReply("Your parcel left today!", "c-1"));

        Assert.False(first.Duplicate);
        Assert.Equal(2, first.Seq);
        Assert.True(again.Duplicate);
        Assert.Equal((first.ConversationId, first.MessageId, first.Seq, first.AuthorId),
            (again.ConversationId, again.MessageId, again.Seq, again.AuthorId));

        var stored = await conversation.AllMessagesAsync();
        Assert.Equal(OneTo(2), stored.Select(m => m.Seq));
        var reply = stored[1];
        Assert.Equal((first.MessageId, AuthorType.Agent, "agent-1", "Your parcel left today."), (reply.Id, reply.AuthorType, reply.AuthorId, reply.Text));
        Assert.Equal(2, (await conversation.ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task Resends_of_one_reply_arriving_together_are_stored_once()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RepliedAsync(conversation, AgentReply("On it.", "c-1"))));

        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => (r.MessageId, r.Seq)).Distinct());
        Assert.Equal(OneTo(2), (await conversation.AllMessagesAsync()).Select(m => m.Seq));
    }

    [Fact]
    public async Task Replies_with_other_or_no_client_message_ids_are_each_stored()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        var withId = await RepliedAsync(conversation, AgentReply("Thanks!", "c-1"));
        var otherId = await RepliedAsync(conversation, AgentReply("Thanks!", "c-2"));
        var noId1 = await RepliedAsync(conversation, AgentReply("Thanks!", null));
        var noId2 = await RepliedAsync(conversation, AgentReply("Thanks!", null));

        Assert.All(new[] { withId, otherId, noId1, noId2 }, r => Assert.False(r.Duplicate));
        Assert.Equal([2L, 3L, 4L, 5L], new[] { withId.Seq, otherId.Seq, noId1.Seq, noId2.Seq });
        Assert.Equal(OneTo(5), (await conversation.AllMessagesAsync()).Select(m => m.Seq));
    }

    [Fact]
    public async Task The_same_client_message_id_in_another_conversation_is_a_new_reply()
    {
        var (brand, first) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);
        var otherId = (await brand.Inbound.AcceptedAsync(Message("m-other", "u-2"))).ConversationId;
        var second = brand.Conversation(otherId);

        var inFirst = await RepliedAsync(first, AgentReply("Hello", "c-1"));
        var inSecond = await RepliedAsync(second, AgentReply("Hello", "c-1"));

        Assert.False(inSecond.Duplicate);
        Assert.NotEqual(inFirst.MessageId, inSecond.MessageId);
        Assert.Equal(otherId, inSecond.ConversationId);
        Assert.Contains(await second.AllMessagesAsync(), m => m.Id == inSecond.MessageId);
        Assert.DoesNotContain(await first.AllMessagesAsync(), m => m.Id == inSecond.MessageId);
    }

    /// <summary>A new brand and a conversation its customer u-1 opened with one message (seq 1).</summary>
    private async Task<(GrainBrand Brand, IConversationGrain Conversation)> ConversationAsync()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var accepted = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"));
        return (brand, brand.Conversation(accepted.ConversationId));
    }

    private static async Task<AppendResult> RepliedAsync(IConversationGrain conversation, ReplyRequest reply)
    {
        var outcome = await conversation.Reply(reply);
        Assert.True(outcome.Succeeded, outcome.Refusal?.Detail);
        return outcome.Value!;
    }
}

[Trait("Backend", "sqlite")]
public sealed class ReplyIdempotencyOnSqlite(SqliteGrainCluster cluster)
    : ReplyIdempotencyScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class ReplyIdempotencyOnPostgres(PostgresGrainCluster cluster)
    : ReplyIdempotencyScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class ReplyIdempotencyOnSqlServer(SqlServerGrainCluster cluster)
    : ReplyIdempotencyScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
