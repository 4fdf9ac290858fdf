using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>Many messages at once: each acked once, numbered without gaps, all durable.</summary>
public abstract class ConcurrentAppendScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task A_hundred_messages_sent_at_once_to_one_conversation_are_numbered_1_to_100_and_read_back_in_order()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var sent = Enumerable.Range(0, 100).Select(i => $"m-{i:D3}").ToList();

        // A new customer: the first contact (identity, conversation) is part of the race too.
        var acks = await Task.WhenAll(sent.Select(id => brand.Inbound.AcceptedAsync(Message(id, "u-1"))));

        Assert.DoesNotContain(acks, a => a.Duplicate);
        var conversationId = Assert.Single(acks.Select(a => a.ConversationId).Distinct());
        Assert.Single(acks.Select(a => a.CustomerId).Distinct());
        Assert.Equal(OneTo(100), acks.Select(a => a.Seq).Order());

        var stored = await brand.Conversation(conversationId).AllMessagesAsync();
        Assert.Equal(OneTo(100), stored.Select(m => m.Seq));
        Assert.Equal(sent, stored.Select(m => m.ExternalMessageId!).Order(StringComparer.Ordinal));
        // Each message sits at the seq its ack announced, with its own body.
        var ackedSeqs = acks.ToDictionary(a => a.MessageId, a => a.Seq);
        Assert.All(stored, m => Assert.Equal(ackedSeqs[m.Id], m.Seq));
        Assert.All(stored, m => Assert.Equal("text of " + m.ExternalMessageId, m.Text));
        Assert.Equal(100, (await brand.Conversation(conversationId).ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task Five_hundred_messages_over_fifty_customers_at_once_are_all_acked_and_stored()
    {
        const int customers = 50, perCustomer = 10;
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var sent = (from c in Enumerable.Range(0, customers)
                    from m in Enumerable.Range(0, perCustomer)
                    select (User: $"u-{c:D2}", Id: $"m-{c:D2}-{m:D2}")).ToList();
        // Interleave the customers so every conversation is busy at the same time.
        var shuffled = sent.OrderBy(_ => Random.Shared.Next()).ToList();

        var acks = await Task.WhenAll(shuffled.Select(async s => (s.User, s.Id, Ack: await brand.Inbound.AcceptedAsync(Message(s.Id, s.User)))));

        Assert.DoesNotContain(acks, a => a.Ack.Duplicate);
        var byUser = acks.GroupBy(a => a.User).ToList();
        Assert.Equal(customers, byUser.Count);
        Assert.Equal(customers, acks.Select(a => a.Ack.ConversationId).Distinct().Count());
        foreach (var user in byUser)
        {
            var conversationId = Assert.Single(user.Select(a => a.Ack.ConversationId).Distinct());
            Assert.Equal(OneTo(perCustomer), user.Select(a => a.Ack.Seq).Order());

            var conversation = brand.Conversation(conversationId);
            var stored = await conversation.AllMessagesAsync();
            Assert.Equal(OneTo(perCustomer), stored.Select(m => m.Seq));
            Assert.Equal(user.Select(a => a.Id).Order(StringComparer.Ordinal), stored.Select(m => m.ExternalMessageId!).Order(StringComparer.Ordinal));
            Assert.Equal(user.Select(a => a.Ack.MessageId).Order(StringComparer.Ordinal), stored.Select(m => m.Id).Order(StringComparer.Ordinal));
            Assert.Equal(perCustomer, (await conversation.ViewAsync()).MessageCount);
        }
    }
}

[Trait("Backend", "sqlite")]
public sealed class ConcurrentAppendsOnSqlite(SqliteGrainCluster cluster)
    : ConcurrentAppendScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class ConcurrentAppendsOnPostgres(PostgresGrainCluster cluster)
    : ConcurrentAppendScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class ConcurrentAppendsOnSqlServer(SqlServerGrainCluster cluster)
    : ConcurrentAppendScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
