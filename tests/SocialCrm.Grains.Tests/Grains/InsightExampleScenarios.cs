using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Insights;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// The insight report's examples are customers' words: a person who reads them through the report is
/// in the audit log as one who read the conversations they come from, as reading the thread itself would be.
/// </summary>
public abstract class InsightExampleScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task Examples_read_by_a_person_are_audited_once_per_conversation_they_come_from()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var ann1 = await brand.Inbound.AcceptedAsync(Message("m-1", "ann", "The battery lasts for days"));
        var ann2 = await brand.Inbound.AcceptedAsync(Message("m-2", "ann", "and the screen is great"));
        var bob = await brand.Inbound.AcceptedAsync(Message("m-3", "bob", "The strap broke"));
        Assert.Equal(ann1.ConversationId, ann2.ConversationId);
        var report = brand.Grains.GetGrain<IInsightReportGrain>(brand.BrandId);

        // A read the service makes for itself (no person in the request context) is not audited.
        RequestContext.Remove(ActorContext.Key);
        Assert.Equal(3, (await report.Examples([ann1.MessageId, ann2.MessageId, bob.MessageId])).Count);
        Assert.Empty(await ReadsAsync(brand.Grains, brand.BrandId));

        ActorContext.Set("insights:analyst");
        var examples = await report.Examples([ann1.MessageId, ann2.MessageId, bob.MessageId, "msg_unknown"]);

        Assert.Equal(["The battery lasts for days", "and the screen is great", "The strap broke"], examples.Select(e => e.Text));
        var reads = await ReadsAsync(brand.Grains, brand.BrandId);
        Assert.Equal(
            new[] { ("conversations/" + ann1.ConversationId, ann1.CustomerId), ("conversations/" + bob.ConversationId, bob.CustomerId) }.Order(),
            reads.Select(e => (e.Resource!, e.CustomerId!)).Order());
        Assert.All(reads, e => Assert.Equal("insights:analyst", e.Actor));
    }

    private static async Task<List<AuditEntry>> ReadsAsync(IGrainFactory grains, string brandId) =>
        (await grains.GetGrain<IAuditGrain>(brandId).List(new AuditQuery(null, null, null, null, AfterSeq: 0, Limit: 100)))
            .Items.Where(e => e.Action == "messages.read").ToList();
}

[Trait("Backend", "sqlite")]
public sealed class InsightExamplesOnSqlite(SqliteGrainCluster cluster)
    : InsightExampleScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class InsightExamplesOnPostgres(PostgresGrainCluster cluster)
    : InsightExampleScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class InsightExamplesOnSqlServer(SqlServerGrainCluster cluster)
    : InsightExampleScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
