using System.Diagnostics;
using System.Net;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Cluster;

/// <summary>
/// Two nodes, each its own OS process, on one PostgreSQL database. One is killed (SIGKILL) while
/// inbound messages pour into both. The survivor must hold every acknowledged message exactly once
/// and in order, declare the dead silo dead, and run the reminders the cluster held.
/// </summary>
public sealed class NodeLossScenarios
{
    // Orleans' SiloStatus values as the membership table stores them.
    private const int Active = 3;
    private const int Dead = 6;
    private const int Senders = 24;
    private const int Conversations = 200;
    private const int ExtraRetentionBrands = 7;
    // Each phase of the load (before and after the kill) lasts for plenty of acknowledgements, or a few on a slow machine.
    private const int PhasePlenty = 200;
    private const int PhaseFew = 20;
    private static readonly TimeSpan PhaseAtLeast = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PhaseEnough = TimeSpan.FromSeconds(8);
    // Far beyond what detection takes with the settings below; only a broken cluster waits this long.
    private static readonly TimeSpan DeathDeadline = TimeSpan.FromSeconds(15);
    // Moved forward in the table at the kill, so that the retention reminders fall due within the test, well
    // after the survivor has taken over the dead silo's share of them (a few seconds).
    private static readonly TimeSpan ReminderDueIn = DeathDeadline + TimeSpan.FromSeconds(5);

    private readonly PostgresBackend _postgres = new();

    [Fact]
    public async Task A_node_killed_under_inbound_load_loses_nothing_acknowledged_and_stores_nothing_twice()
    {
        var storage = await _postgres.NewStorageAsync();
        var clusterId = TestIds.New("cluster");
        var starting = Stopwatch.StartNew();
        var nodes = await StartTwoNodesAsync(NodeSettings(storage, clusterId));
        Log($"both nodes ready after {starting.Elapsed.TotalSeconds:F1} s");
        await using var victim = nodes[0];
        await using var survivor = nodes[1];
        try
        {
            await RunScenarioAsync(storage, clusterId, victim, survivor);
        }
        catch
        {
            Log($"--- victim's last output ---\n{victim.RecentOutput}\n--- survivor's last output ---\n{survivor.RecentOutput}");
            throw;
        }
    }

    private static async Task RunScenarioAsync(Dictionary<string, string?> storage, string clusterId, HostProcess victim, HostProcess survivor)
    {
        var cancel = TestContext.Current.CancellationToken;
        var phases = Stopwatch.StartNew();
        await WaitForMembershipAsync(storage, clusterId, victim.SiloPort, Active, TimeSpan.FromSeconds(60));
        await WaitForMembershipAsync(storage, clusterId, survivor.SiloPort, Active, TimeSpan.FromSeconds(60));
        Log($"{phases.Elapsed.TotalSeconds:F1} s: two active silos");
        var brand = await NewBrandAsync(victim, survivor);
        await ProveOneClusterAsync(brand, victim, survivor);

        // Each brand with a retention period holds a reminder; the reminder ring is split between the two silos.
        var extraBrands = await Task.WhenAll(Enumerable.Range(0, ExtraRetentionBrands)
            .Select(i => i % 2 == 0 ? NewBrandAsync(victim, survivor) : NewBrandAsync(survivor, victim)));
        var retentionBrands = extraBrands.Select(b => b.BrandId).Append(brand.BrandId).ToList();
        Assert.Equal(retentionBrands.Count, await RetentionRemindersAsync(storage));

        Log($"{phases.Elapsed.TotalSeconds:F1} s: brands made, starting the load");
        using var toVictim = victim.Client(brand.IngestKey);
        using var toSurvivor = survivor.Client(brand.IngestKey);
        // A platform gives up on a slow answer and delivers again: the first attempt may still commit meanwhile.
        toVictim.Timeout = toSurvivor.Timeout = TimeSpan.FromSeconds(10);
        var load = new InboundLoad(brand.InboundPath, [toVictim, toSurvivor], survivor: 1);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(Senders, Conversations, stop.Token);
        // Phases end by what was acknowledged, not by the clock: a loaded machine may ingest slowly.
        await load.WaitForAcksAsync(PhasePlenty, PhaseFew, PhaseAtLeast, PhaseEnough);
        await StoreAccess.ExecuteAsync(storage,
            "UPDATE OrleansRemindersTable SET StartTime = now() + @due * interval '1 second', Version = Version + 1 WHERE ReminderName = 'retention'",
            ("due", ReminderDueIn.TotalSeconds));
        var remindersDue = Stopwatch.StartNew();
        Log($"{phases.Elapsed.TotalSeconds:F1} s: killing the first node");
        var ackedBeforeKill = load.Acks.Count;
        var inFlightAtKill = load.InFlight(0);
        var killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        // Killed first, as a load balancer learns of a death only from failing requests.
        victim.Kill();
        load.LoseNode(0);
        var declaredDead = WaitForMembershipAsync(storage, clusterId, victim.SiloPort, Dead, DeathDeadline);
        await load.WaitForAcksAsync(PhasePlenty, PhaseFew, PhaseAtLeast, PhaseEnough);
        await stop.CancelAsync();
        await running;
        Log($"{phases.Elapsed.TotalSeconds:F1} s: load stopped");
        var deadAfter = await declaredDead;
        Log($"acks: {ackedBeforeKill} before the kill ({inFlightAtKill} requests in flight on the victim), {load.Acks.Count} in all ({load.Acks.Count(a => a.Duplicate)} duplicates); " +
            $"victim declared dead {deadAfter.TotalSeconds:F1} s after the kill; failed attempts: " +
            string.Join(", ", load.Failures.OrderBy(f => f.Key).Select(f => $"{f.Key}: {f.Value}")));

        Assert.True(ackedBeforeKill > 0, "Nothing was acknowledged before the kill.");
        Assert.True(load.Acks.Count > ackedBeforeKill, "The survivor acknowledged nothing after the kill.");
        Assert.True(load.Acks.Any(a => a.Duplicate), "No redelivery was answered as a duplicate.");
        // Failing over may cost 503s (retry after a second) and broken connections, never a refusal of a
        // valid request, and never a 500 that tells the platform something is wrong with its message.
        Assert.DoesNotContain(load.Failures.Keys, reason => reason.StartsWith('4') || reason.StartsWith("500"));
        await AssertStoredExactlyOnceAsync(storage, brand.BrandId, load.Acks);

        var membership = await MembershipAsync(storage, clusterId);
        Assert.Contains((survivor.SiloPort, Active), membership);

        // The reminders outlive the silo that held some of them: every brand's retention runs, on the survivor.
        Assert.Equal(retentionBrands.Count, await RetentionRemindersAsync(storage));
        var ran = await WaitForRetentionRunsAsync(storage, retentionBrands, killedAt, ReminderDueIn - remindersDue.Elapsed + TimeSpan.FromSeconds(30));
        Log($"retention ran after the kill for {ran.Count} of {retentionBrands.Count} brands, {sinceKill.Elapsed.TotalSeconds:F1} s after the kill");
        Assert.Equal(retentionBrands.Order(), ran.Order());
        // With the test's short expiry, the survivor also removes the dead entry (production keeps it a week, see NodeSettings).
        await WaitForRemovalAsync(storage, clusterId, victim.SiloPort, TimeSpan.FromSeconds(30));
        Log($"the dead silo's entry was gone {sinceKill.Elapsed.TotalSeconds:F1} s after the kill");
        using var probe = survivor.Client();
        using var survivorReady = await probe.GetAsync("/health/ready", cancel);
        Assert.Equal(HttpStatusCode.OK, survivorReady.StatusCode);
    }

    /// <summary>The host settings of both nodes: one database, one cluster, failure detection fast enough for a test.</summary>
    private static Dictionary<string, string?> NodeSettings(Dictionary<string, string?> storage, string clusterId) => new(storage)
    {
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:Membership:ProbeTimeout"] = "00:00:02",
        ["Orleans:Membership:NumMissedProbesLimit"] = "3",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
        // Production keeps Orleans' defaults: a dead entry goes after a week, or sooner beyond 25 dead entries (kept an hour at least).
        ["Orleans:Membership:DefunctSiloCleanupPeriod"] = "00:00:05",
        ["Orleans:Membership:DefunctSiloExpiration"] = "00:00:10",
        ["Orleans:Membership:DefunctSiloMinimumRetention"] = "00:00:10",
    };

    private static async Task<HostProcess[]> StartTwoNodesAsync(Dictionary<string, string?> settings)
    {
        var starting = new[] { HostProcess.StartAsync(settings), HostProcess.StartAsync(settings) };
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await node.Result.DisposeAsync();
            throw;
        }
    }

    private sealed record LoadBrand(string BrandId, string AdminKey, string IngestKey)
    {
        public string InboundPath => $"/v1/brands/{BrandId}/channels/web/inbound";
    }

    /// <summary>A brand with a web chat channel, an ingest key and a retention period, made through one node and configured through the other.</summary>
    private static async Task<LoadBrand> NewBrandAsync(HostProcess through, HostProcess other)
    {
        var brandId = TestIds.New("brand");
        using var bootstrap = through.Client(ServiceHost.BootstrapSecret);
        var adminKey = (await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Cluster " + brandId })).Str("adminKey");
        using var admin = through.Client(adminKey);
        var channel = await admin.PostJson($"/v1/brands/{brandId}/channels", new { id = "web", platform = "webchat", externalAccountId = "site" });
        Assert.Equal(HttpStatusCode.Created, channel.Status);
        var ingest = await admin.PostJson($"/v1/brands/{brandId}/api-keys", new { name = "platform", role = "ingest" });
        Assert.Equal(HttpStatusCode.Created, ingest.Status);
        using var adminOnOther = other.Client(adminKey);
        var settings = await adminOnOther.PutJson($"/v1/brands/{brandId}/settings", new { retentionDays = 30 });
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        return new LoadBrand(brandId, adminKey, ingest.Str("key"));
    }

    /// <summary>
    /// Nodes that only shared the database would still read each other's rows; a key revoked through
    /// one node and refused at once by the other shows that both reach the same activation.
    /// </summary>
    private static async Task ProveOneClusterAsync(LoadBrand brand, HostProcess first, HostProcess second)
    {
        using var admin = first.Client(brand.AdminKey);
        var agent = await admin.PostJson($"/v1/brands/{brand.BrandId}/api-keys", new { name = "probe", role = "agent" });
        using var agentOnSecond = second.Client(agent.Str("key"));
        Assert.Equal(HttpStatusCode.OK, (await agentOnSecond.GetJson($"/v1/brands/{brand.BrandId}/channels")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Delete($"/v1/brands/{brand.BrandId}/api-keys/{agent.Str("id")}")).Status);
        (await agentOnSecond.GetJson($"/v1/brands/{brand.BrandId}/channels")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    /// <summary>
    /// The log against what the service acknowledged: each message stored once, under the ids and seq
    /// every acknowledgement of it gave; each conversation numbered 1..n without gaps, its projection at n.
    /// </summary>
    private static async Task AssertStoredExactlyOnceAsync(Dictionary<string, string?> storage, string brandId, IReadOnlyCollection<InboundAck> acks)
    {
        var rows = (await StoreAccess.QueryAsync(storage,
                "SELECT conversation_id, seq, id, external_message_id, event_type FROM messages WHERE brand_id = @brand",
                ("brand", brandId)))
            .Select(r => (Conversation: (string)r[0]!, Seq: (long)r[1]!, Id: (string)r[2]!, External: (string?)r[3], Event: (string?)r[4]))
            .ToList();
        var inbound = rows.Where(r => r.External is not null).ToList();

        var storedTwice = inbound.GroupBy(r => r.External!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(storedTwice.Count == 0, $"{storedTwice.Count} messages stored more than once, e.g. {string.Join(", ", storedTwice.Take(5))}");
        var stored = inbound.ToDictionary(r => r.External!);
        var wrong = acks.Where(a => !stored.TryGetValue(a.ExternalMessageId, out var s) || (s.Conversation, s.Id, s.Seq) != (a.ConversationId, a.MessageId, a.Seq))
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} acknowledgements do not match the stored message, e.g. " +
            string.Join("; ", wrong.Take(5).Select(a => $"{a} stored as {(stored.TryGetValue(a.ExternalMessageId, out var s) ? s.ToString() : "nothing")}")));
        // One customer, one private conversation on the channel, whichever node or activation took the message.
        var split = acks.GroupBy(a => a.User).Where(g => g.Select(a => a.ConversationId).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.True(split.Count == 0, $"{split.Count} customers' messages went to more than one conversation, e.g. {string.Join(", ", split.Take(5))}");
        var neverAcked = stored.Keys.Except(acks.Select(a => a.ExternalMessageId)).ToList();
        Assert.True(neverAcked.Count == 0, $"{neverAcked.Count} stored messages were never acknowledged, e.g. {string.Join(", ", neverAcked.Take(5))}");

        var projections = (await StoreAccess.QueryAsync(storage,
                "SELECT id, last_seq, message_count FROM conversations WHERE brand_id = @brand", ("brand", brandId)))
            .ToDictionary(r => (string)r[0]!, r => (LastSeq: (long)r[1]!, Count: (long)r[2]!));
        foreach (var conversation in rows.GroupBy(r => r.Conversation))
        {
            var seqs = conversation.Select(r => r.Seq).Order().ToList();
            Assert.True(seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(i => (long)i)),
                $"Conversation {conversation.Key} has seqs {string.Join(",", seqs)}");
            Assert.Equal((seqs.Count, conversation.Count(r => r.Event is null)), ((int)projections[conversation.Key].LastSeq, (int)projections[conversation.Key].Count));
        }
        Log($"stored: {inbound.Count} inbound messages in {rows.Select(r => r.Conversation).Distinct().Count()} conversations");
    }

    private static async Task<List<(int Port, int Status)>> MembershipAsync(Dictionary<string, string?> storage, string clusterId) =>
        (await StoreAccess.QueryAsync(storage, "SELECT Port, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster", ("cluster", clusterId)))
        .Select(r => (Convert.ToInt32(r[0]), Convert.ToInt32(r[1])))
        .ToList();

    /// <summary>Waits until the silo on <paramref name="port"/> has the status; answers how long that took.</summary>
    private static async Task<TimeSpan> WaitForMembershipAsync(Dictionary<string, string?> storage, string clusterId, int port, int status, TimeSpan deadline)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var rows = await MembershipAsync(storage, clusterId);
            if (rows.Contains((port, status))) return waited.Elapsed;
            if (waited.Elapsed > deadline)
                Assert.Fail($"The silo on port {port} did not reach status {status} within {deadline}: {string.Join(", ", rows)}");
            await Task.Delay(250);
        }
    }

    private static async Task WaitForRemovalAsync(Dictionary<string, string?> storage, string clusterId, int port, TimeSpan deadline)
    {
        var waited = Stopwatch.StartNew();
        while ((await MembershipAsync(storage, clusterId)).Any(r => r.Port == port))
        {
            if (waited.Elapsed > deadline) Assert.Fail($"The dead silo's entry (port {port}) was not removed within {deadline}.");
            await Task.Delay(250);
        }
    }

    private static async Task<int> RetentionRemindersAsync(Dictionary<string, string?> storage) =>
        Convert.ToInt32((await StoreAccess.QueryAsync(storage, "SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'retention'"))[0][0]);

    /// <summary>The brands whose retention ran (by its reminder, as the system) after the given moment.</summary>
    private static async Task<List<string>> WaitForRetentionRunsAsync(Dictionary<string, string?> storage, List<string> brands,
        DateTimeOffset after, TimeSpan deadline)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var ran = (await StoreAccess.QueryAsync(storage,
                    "SELECT DISTINCT brand_id FROM audit_log WHERE action = 'retention.purge' AND actor = 'system:retention' AND at_ms > @after",
                    ("after", after.ToUnixTimeMilliseconds())))
                .Select(r => (string)r[0]!).Where(brands.Contains).ToList();
            if (ran.Count == brands.Count || waited.Elapsed > deadline) return ran;
            await Task.Delay(500);
        }
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
