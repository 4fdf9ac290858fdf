using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>A platform retrying a webhook never duplicates a message: not now, not after a restart.</summary>
public abstract class InboundIdempotencyScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task The_same_platform_message_twice_is_stored_once_and_answered_with_the_first_ids()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);

        var first = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", "Where is my order?"));
        // A retry may even carry a different body: the platform's id decides, and the first body stays.
        var again = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", "Where is my order??"));

        Assert.False(first.Duplicate);
        Assert.Equal(1, first.Seq);
        Assert.True(again.Duplicate);
        Assert.Equal((first.ConversationId, first.MessageId, first.CustomerId, first.Seq),
            (again.ConversationId, again.MessageId, again.CustomerId, again.Seq));

        var conversation = brand.Conversation(first.ConversationId);
        var stored = Assert.Single(await conversation.AllMessagesAsync());
        Assert.Equal((1L, first.MessageId, "m-1", "Where is my order?", first.CustomerId),
            (stored.Seq, stored.Id, stored.ExternalMessageId, stored.Text, stored.AuthorId));
        Assert.Equal(1, (await conversation.ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task Retries_of_one_message_arriving_together_are_stored_once()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);

        var acks = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => brand.Inbound.AcceptedAsync(Message("m-1", "u-1"))));

        Assert.Single(acks, a => !a.Duplicate);
        Assert.Single(acks.Select(a => (a.ConversationId, a.MessageId, a.CustomerId, a.Seq)).Distinct());
        var stored = Assert.Single(await brand.Conversation(acks[0].ConversationId).AllMessagesAsync());
        Assert.Equal((1L, acks[0].MessageId), (stored.Seq, stored.Id));
    }

    [Fact]
    public async Task A_message_seen_before_the_whole_cluster_restarted_is_a_duplicate_after_it_and_numbering_continues()
    {
        var store = await cluster.NewStoreAsync();
        GrainBrand brand;
        InboundAccepted first, second;
        await using (var before = await cluster.StartClusterAsync(store))
        {
            brand = await before.Client.NewBrandAsync();
            BrandContext.Set(brand.BrandId);
            first = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"));
            second = await brand.Inbound.AcceptedAsync(Message("m-2", "u-1"));
            Assert.Equal((1L, 2L), (first.Seq, second.Seq));
        }

        await using var after = await cluster.StartClusterAsync(store);
        brand = brand.Through(after.Client);
        BrandContext.Set(brand.BrandId);

        var retried = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"));
        Assert.True(retried.Duplicate);
        Assert.Equal((first.ConversationId, first.MessageId, first.CustomerId, first.Seq),
            (retried.ConversationId, retried.MessageId, retried.CustomerId, retried.Seq));

        var third = await brand.Inbound.AcceptedAsync(Message("m-3", "u-1"));
        Assert.False(third.Duplicate);
        Assert.Equal((first.ConversationId, first.CustomerId, 3L), (third.ConversationId, third.CustomerId, third.Seq));

        var stored = await brand.Conversation(first.ConversationId).AllMessagesAsync();
        Assert.Equal(OneTo(3), stored.Select(m => m.Seq));
        Assert.Equal([first.MessageId, second.MessageId, third.MessageId], stored.Select(m => m.Id));
        Assert.Equal(["m-1", "m-2", "m-3"], stored.Select(m => m.ExternalMessageId));
        Assert.Equal(3, (await brand.Conversation(first.ConversationId).ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task A_conversation_opened_by_a_customer_keeps_what_it_is_after_the_whole_cluster_restarted()
    {
        // Its first message alone records it (the projection row): nothing else was written for it.
        var store = await cluster.NewStoreAsync();
        GrainBrand brand;
        InboundAccepted opened, comment;
        ConversationView privateBefore, publicBefore;
        await using (var before = await cluster.StartClusterAsync(store))
        {
            // Messenger: its window depends on the platform, which the projection row does not hold.
            brand = await before.Client.NewBrandAsync(Platform.Messenger);
            BrandContext.Set(brand.BrandId);
            opened = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"));
            comment = await brand.Inbound.AcceptedAsync(Message("c-1", "u-2") with { Visibility = Visibility.Public, ExternalThreadId = "post-9" });
            privateBefore = await brand.Conversation(opened.ConversationId).ViewAsync();
            publicBefore = await brand.Conversation(comment.ConversationId).ViewAsync();
        }

        await using var after = await cluster.StartClusterAsync(store);
        brand = brand.Through(after.Client);
        BrandContext.Set(brand.BrandId);

        foreach (var (id, expected) in new[] { (opened.ConversationId, privateBefore), (comment.ConversationId, publicBefore) })
        {
            var reloaded = await brand.Conversation(id).ViewAsync();
            Assert.Equal((expected.ChannelId, expected.Visibility, expected.Kind, expected.Status, expected.Controller, expected.ExternalThreadId),
                (reloaded.ChannelId, reloaded.Visibility, reloaded.Kind, reloaded.Status, reloaded.Controller, reloaded.ExternalThreadId));
            Assert.Equal(expected.CustomerIds, reloaded.CustomerIds);
            Assert.Equal(expected.MessageCount, reloaded.MessageCount);
            // The messaging window still runs from the customer's message, so the platform was recovered too.
            Assert.Equal(expected.WindowClosesAt, reloaded.WindowClosesAt);
            Assert.Equal(expected.CreatedAt.ToUnixTimeMilliseconds(), reloaded.CreatedAt.ToUnixTimeMilliseconds());
        }
        Assert.Equal((Visibility.Private, ConversationKind.Private), (privateBefore.Visibility, privateBefore.Kind));
        Assert.Equal((Visibility.Public, "post-9"), (publicBefore.Visibility, publicBefore.ExternalThreadId));
        Assert.NotNull(privateBefore.WindowClosesAt);

        var next = await brand.Inbound.AcceptedAsync(Message("m-2", "u-1"));
        Assert.Equal((opened.ConversationId, 2L), (next.ConversationId, next.Seq));
    }
}

[Trait("Backend", "sqlite")]
public sealed class InboundIdempotencyOnSqlite(SqliteGrainCluster cluster)
    : InboundIdempotencyScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class InboundIdempotencyOnPostgres(PostgresGrainCluster cluster)
    : InboundIdempotencyScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class InboundIdempotencyOnSqlServer(SqlServerGrainCluster cluster)
    : InboundIdempotencyScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
