using System.Net;
using SocialCrm.Abstractions;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// What compliance officers rely on: consent per purpose with its history and report, the access
/// export, an erasure that really erases, retention, and an audit log that shows tampering.
/// </summary>
public abstract class ComplianceScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task Marketing_is_refused_then_granted_then_withdrawn_by_the_customers_stop_then_refused()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Any deals?"));
        var messages = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");
        var offer = new { text = "20% off!", purpose = "marketing" };

        (await admin.PostJson(messages, offer)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "webchat", evidence = "opt-in checkbox", policyVersion = "v3" });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(messages, offer)).Status);

        var stop = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "ann", " STOP "));
        (await admin.PostJson(messages, offer)).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        var consents = await admin.GetJson(setup.Path($"customers/{inbound.Str("customerId")}/consents"));
        var current = consents.Body!["current"]!["marketing"]!;
        Assert.Equal("withdrawn", current["status"]!.GetValue<string>());
        Assert.Equal("message", current["source"]!.GetValue<string>());
        Assert.Contains(stop.Str("messageId"), current["evidence"]!.GetValue<string>());
        Assert.Equal(["granted", "withdrawn"], consents.Body!["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()));
        // Service replies to a customer who wrote first remain allowed.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(messages, new { text = "Noted, no more offers.", purpose = "service" })).Status);
    }

    [Fact]
    public async Task An_expired_grant_counts_as_not_granted()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        var messages = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "webchat", expiresAt });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(messages, new { text = "Deal!", purpose = "marketing" })).Status);
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        (await admin.PostJson(messages, new { text = "Another deal!", purpose = "marketing" })).AssertProblem(HttpStatusCode.Forbidden, "consent-required");
        var report = await admin.GetJson(setup.Path("consents?purpose=marketing"));
        Assert.False(report.Body!.AsArray().Single()!["effective"]!.GetValue<bool>());
        (await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "x", expiresAt = DateTimeOffset.UtcNow.AddDays(-1) }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task The_consent_report_lists_every_customer_as_json_or_csv()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var ids = new List<string>();
        foreach (var user in new[] { "ann", "bob", "cy" })
            ids.Add((await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-" + user, user, "hi"))).Str("customerId"));
        await admin.PutJson(setup.Path($"customers/{ids[0]}/consents/marketing"), new { status = "granted", lawfulBasis = "consent", source = "form, page 2" });
        await admin.PutJson(setup.Path($"customers/{ids[1]}/consents/marketing"), new { status = "withdrawn", lawfulBasis = "consent", source = "agent" });

        var all = await admin.GetJson(setup.Path("consents?purpose=marketing"));
        var statuses = all.Body!.AsArray().ToDictionary(r => r!["customerId"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("granted", statuses[ids[0]]);
        Assert.Equal("withdrawn", statuses[ids[1]]);
        Assert.Equal("unknown", statuses[ids[2]]);
        var granted = await admin.GetJson(setup.Path("consents?purpose=marketing&status=granted"));
        Assert.Equal([ids[0]], granted.Body!.AsArray().Select(r => r!["customerId"]!.GetValue<string>()));

        using var request = new HttpRequestMessage(HttpMethod.Get, setup.Path("consents?purpose=marketing"));
        request.Headers.Accept.ParseAdd("text/csv");
        using var csv = await admin.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd().Split('\n');
        Assert.StartsWith("customerId,purpose,status,effective", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(ids[0] + ",marketing,granted,true,consent,\"form, page 2\""));
        (await admin.GetJson(setup.Path("consents?purpose=spam"))).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task The_access_export_holds_every_message_the_customer_wrote_and_nothing_of_others()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var written = new List<string>();
        string customerId = "";
        for (var i = 0; i < 5; i++)
        {
            var m = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound($"d-{i}", "ann", $"ann private {i}"));
            written.Add(m.Str("messageId"));
            customerId = m.Str("customerId");
        }
        var comment = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-1", "ann", "ann public comment", "public", "post-1"));
        written.Add(comment.Str("messageId"));
        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-2", "bob", "bob's words stay out", "public", "post-1"));
        await admin.PostJson(setup.Path($"conversations/{comment.Str("conversationId")}/messages"), new { text = "Thanks both!", purpose = "service" });
        await admin.PutJson(setup.Path($"customers/{customerId}/consents/profiling"), new { status = "granted", lawfulBasis = "consent", source = "app" });
        await admin.GetJson(setup.Path($"customers/{customerId}"));

        var export = await admin.GetJson(setup.Path($"customers/{customerId}/export"));
        Assert.Equal(HttpStatusCode.OK, export.Status);
        Assert.Equal(customerId, export.Body!["profile"]!["id"]!.GetValue<string>());
        Assert.Equal("ann", export.Body!["profile"]!["identities"]![0]!["externalUserId"]!.GetValue<string>());
        var exported = export.Body!["conversations"]!.AsArray().SelectMany(c => c!["messages"]!.AsArray()).ToList();
        Assert.Equal(written.Order(), exported.Where(m => m!["authorId"]!.GetValue<string>() == customerId).Select(m => m!["id"]!.GetValue<string>()).Order());
        Assert.Contains(exported, m => m!["text"]?.GetValue<string>() == "Thanks both!");
        Assert.DoesNotContain("bob's words", export.Raw);
        Assert.Equal(2, export.Body!["conversations"]!.AsArray().Count);
        Assert.Single(export.Body!["consentHistory"]!.AsArray());
        var actions = export.Body!["auditEntries"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("consent.change", actions);
        Assert.Contains("profile.read", actions);
    }

    [Fact]
    public async Task Erasure_removes_the_customers_words_everywhere_keeps_others_and_a_new_message_starts_afresh()
    {
        var storage = await backend.NewStorageAsync();
        // The listener below is a closed loopback port, which the SSRF guard lets through only when told to.
        storage["Webhooks:AllowPrivateNetworks"] = "true";
        await using var node = await backend.StartNodeAsync(storage);
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        const string annSecret = "ZQX-ann-private-words-4711";
        const string bobWords = "BOB-keeps-his-words-0815";
        // On WhatsApp the platform's user id is the person's phone number.
        const string annPhone = "4915550142377";
        const string brandReply = "Hi Quentin, we will ship to 12 Elm Street";
        // A bot listens: its outbox holds payloads about her (a closed port that never answers, so they stay pending).
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("webhooks"), new
        {
            id = "listener", url = "http://127.0.0.1:9/hook", secret = "listener-secret-0123456789", events = new[] { "message.created" },
        })).Status);
        var ann = await admin.PostJson(setup.InboundPath, new
        {
            externalMessageId = "wamid-ZQX-1", externalUserId = annPhone, userDisplayName = "Quentin ZQXname", text = annSecret,
            thread = new { visibility = "private", externalThreadId = "ZQX-thread-" + annPhone },
        });
        var annComment = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-ZQX-1", annPhone, annSecret + " in public", "public", "post-1"));
        var bob = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("c-2", "bob-0815xyz", bobWords, "public", "post-1"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path($"conversations/{ann.Str("conversationId")}/messages"),
            new { text = brandReply, purpose = "service" })).Status);
        await admin.PutJson(setup.Path($"customers/{ann.Str("customerId")}/consents/public_display"),
            new { status = "granted", lawfulBasis = "consent", source = "message" });
        await admin.PostJson(setup.Path($"conversations/{ann.Str("conversationId")}/publish"),
            new { messageId = ann.Str("messageId"), targetConversationId = bob.Str("conversationId") });
        var customerId = ann.Str("customerId");
        Assert.NotNull(await StoreAccess.WhereStoredAsync(storage, annPhone)); // the search sees her phone number before the erasure

        var erased = await admin.Delete(setup.Path("customers/" + customerId));
        Assert.Equal(HttpStatusCode.OK, erased.Status);
        var again = await admin.Delete(setup.Path("customers/" + customerId));
        Assert.Equal(erased.Str("erasedAt"), again.Str("erasedAt"));
        (await admin.GetJson(setup.Path("customers/" + customerId))).AssertProblem(HttpStatusCode.Gone, "erased");
        (await admin.GetJson(setup.Path($"customers/{customerId}/export"))).AssertProblem(HttpStatusCode.Gone, "erased");
        (await admin.PostJson(setup.Path($"conversations/{ann.Str("conversationId")}/messages"), new { text = "Hello?", purpose = "service" }))
            .AssertProblem(HttpStatusCode.Gone, "erased");

        var thread = (await admin.GetJson(setup.Path($"conversations/{bob.Str("conversationId")}/messages"))).Body!["items"]!.AsArray();
        Assert.Equal(3, thread.Count);
        Assert.True(thread[0]!["redacted"]!.GetValue<bool>());
        Assert.Null(thread[0]!["text"]);
        Assert.Equal(bobWords, thread[1]!["text"]!.GetValue<string>());
        Assert.True(thread[2]!["redacted"]!.GetValue<bool>()); // the published quote of her words
        var privateThread = await admin.GetJson(setup.Path($"conversations/{ann.Str("conversationId")}/messages"));
        Assert.DoesNotContain("ZQX", privateThread.Raw);
        Assert.DoesNotContain("Elm Street", privateThread.Raw); // the brand's words to her are about her too
        Assert.DoesNotContain(annPhone, privateThread.Raw);

        // Nothing of her in any store: identity keys, grain state, messages, projections, the webhook outbox.
        foreach (var trace in new[] { "ZQX", annPhone, "Quentin", "Elm Street" })
        {
            var where = await StoreAccess.WhereStoredAsync(storage, trace);
            Assert.True(where is null, $"'{trace}' is still stored after the erasure, in {where}");
        }
        Assert.NotNull(await StoreAccess.WhereStoredAsync(storage, bobWords)); // the search sees data that was not erased
        Assert.NotNull(await StoreAccess.WhereStoredAsync(storage, "bob-0815xyz")); // and another customer's identity
        var verify = await admin.GetJson(setup.Path("audit/verify"));
        Assert.True(verify.Body!["intact"]!.GetValue<bool>());
        var audit = await admin.GetJson(setup.Path($"audit?customerId={customerId}"));
        Assert.Contains(audit.Body!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "customer.erase");
        Assert.DoesNotContain("ZQX", audit.Raw);

        var fresh = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", annPhone, "I'm back"));
        Assert.Equal(HttpStatusCode.Accepted, fresh.Status);
        Assert.NotEqual(customerId, fresh.Str("customerId"));
        Assert.NotEqual(ann.Str("conversationId"), fresh.Str("conversationId"));
        Assert.Equal(1, fresh.Long("seq"));
    }

    [Fact]
    public async Task The_audit_chain_reveals_an_altered_or_a_deleted_row()
    {
        var storage = await backend.NewStorageAsync();
        await using var node = await backend.StartNodeAsync(storage);
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hello"));
        await admin.GetJson(setup.Path($"customers/{inbound.Str("customerId")}"));
        await admin.GetJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages"));
        await admin.PutJson(setup.Path($"customers/{inbound.Str("customerId")}/consents/marketing"), new { status = "granted", lawfulBasis = "consent", source = "x" });

        var entries = (await admin.GetJson(setup.Path("audit?limit=100"))).Body!["items"]!.AsArray();
        Assert.Equal(["key.create", "profile.read", "messages.read", "consent.change"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal("bootstrap", entries[0]!["actor"]!.GetValue<string>());
        Assert.All(entries.Skip(1), e => Assert.Equal("admin:admin", e!["actor"]!.GetValue<string>()));
        var intact = await admin.GetJson(setup.Path("audit/verify"));
        Assert.True(intact.Body!["intact"]!.GetValue<bool>());
        Assert.Equal(4, intact.Long("entries"));

        await StoreAccess.ExecuteAsync(storage, "UPDATE audit_log SET actor = 'nobody' WHERE brand_id = @b AND seq = 2", ("b", setup.BrandId));
        var altered = await admin.GetJson(setup.Path("audit/verify"));
        Assert.False(altered.Body!["intact"]!.GetValue<bool>());
        Assert.Equal(2, altered.Long("firstBrokenSeq"));
        await StoreAccess.ExecuteAsync(storage, "UPDATE audit_log SET actor = 'admin:admin' WHERE brand_id = @b AND seq = 2", ("b", setup.BrandId));
        Assert.True((await admin.GetJson(setup.Path("audit/verify"))).Body!["intact"]!.GetValue<bool>());

        await StoreAccess.ExecuteAsync(storage, "DELETE FROM audit_log WHERE brand_id = @b AND seq = 4", ("b", setup.BrandId));
        var cut = await admin.GetJson(setup.Path("audit/verify"));
        Assert.False(cut.Body!["intact"]!.GetValue<bool>());
        Assert.Equal(4, cut.Long("firstBrokenSeq"));
    }

    [Fact]
    public async Task Repeated_reads_of_a_conversation_by_one_key_are_audited_once_and_each_other_key_is_audited()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "sam");
        using var admin = setup.Admin();
        using var agent = Node.Client(agentKey);
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hello"));
        var messages = setup.Path($"conversations/{inbound.Str("conversationId")}/messages");

        // A console refreshing a thread reads it again and again: one entry, not one per refresh.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetJson(messages)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetJson(messages)).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetJson(messages + "?limit=1")).Status);
        // Another person's first read is theirs to answer for.
        Assert.Equal(HttpStatusCode.OK, (await agent.GetJson(messages)).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetJson(messages)).Status);

        var reads = (await admin.GetJson(setup.Path("audit?limit=100"))).Body!["items"]!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>() == "messages.read").ToList();
        Assert.Equal(["admin:admin", "agent:sam"], reads.Select(e => e!["actor"]!.GetValue<string>()));
        Assert.All(reads, e => Assert.Equal("conversations/" + inbound.Str("conversationId"), e!["resource"]!.GetValue<string>()));
        Assert.All(reads, e => Assert.Equal(inbound.Str("customerId"), e!["customerId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Retention_purges_old_message_bodies_counts_them_and_audits_the_purge()
    {
        var storage = await backend.NewStorageAsync();
        await using var node = await backend.StartNodeAsync(storage);
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        var old = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "old words"));
        var recent = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-2", "ann", "recent words"));
        (await admin.PostJson(setup.Path("retention/run"), new { })).AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson(setup.Path("settings"), new { retentionDays = 30 })).Status);
        // The first message is made 40 days old behind the service's back: its time, and its id, which sorts by time.
        var aged = DateTimeOffset.UtcNow.AddDays(-40);
        await StoreAccess.ExecuteAsync(storage, "UPDATE messages SET created_at_ms = @at, id = @aged_id WHERE brand_id = @b AND id = @id",
            ("at", aged.ToUnixTimeMilliseconds()), ("aged_id", Ids.NewTimeOrdered(Ids.MessagePrefix, aged)), ("b", setup.BrandId), ("id", old.Str("messageId")));

        var run = await admin.PostJson(setup.Path("retention/run"), new { });
        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal(1, run.Long("purgedMessages"));
        var items = (await admin.GetJson(setup.Path($"conversations/{old.Str("conversationId")}/messages"))).Body!["items"]!.AsArray();
        Assert.True(items[0]!["redacted"]!.GetValue<bool>());
        Assert.Equal("recent words", items[1]!["text"]!.GetValue<string>());
        Assert.Equal(recent.Str("messageId"), items[1]!["id"]!.GetValue<string>());
        var audit = await admin.GetJson(setup.Path("audit"));
        Assert.Contains(audit.Body!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "retention.purge"
            && e["resource"]!.GetValue<string>().StartsWith("messages:1 "));
        if (StoreAccess.EmbeddedFiles(storage).Any()) Assert.False(StoreAccess.FilesContain(storage, "old words"));
    }

    [Fact]
    public async Task Compliance_reads_exports_erases_and_audits_but_never_speaks_and_agents_cannot_export()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        var complianceKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "compliance", "dpo");
        var agentKey = await Node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent", "sam");
        using var admin = setup.Admin();
        using var compliance = Node.Client(complianceKey);
        using var agent = Node.Client(agentKey);
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hi"));
        var customer = setup.Path("customers/" + inbound.Str("customerId"));
        var consent = new { status = "granted", lawfulBasis = "consent", source = "phone call" };

        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(customer)).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(setup.Path("customers"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(customer + "/consents")).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.PutJson(customer + "/consents/marketing", consent)).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(setup.Path("consents?purpose=marketing"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(customer + "/export")).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(setup.Path("audit"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await compliance.GetJson(setup.Path("audit/verify"))).Status);
        (await compliance.PostJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages"), new { text = "x", purpose = "service" }))
            .AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await compliance.PostJson(setup.Path($"channels/{setup.ChannelId}/posts"), new { text = "x" })).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await compliance.GetJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages"))).AssertProblem(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(HttpStatusCode.OK, (await agent.GetJson(customer + "/consents")).Status);
        Assert.Equal(HttpStatusCode.OK, (await agent.PutJson(customer + "/consents/marketing", consent)).Status);
        (await agent.GetJson(customer + "/export")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await agent.Delete(customer)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await agent.GetJson(setup.Path("audit"))).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        (await agent.GetJson(setup.Path("consents?purpose=marketing"))).AssertProblem(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(HttpStatusCode.OK, (await compliance.Delete(customer)).Status);
        var byDpo = await admin.GetJson(setup.Path("audit?actor=compliance:dpo"));
        Assert.Contains(byDpo.Body!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "customer.erase");
    }
}

[Trait("Backend", "sqlite")]
public sealed class ComplianceOnSqlite(SqliteBackend backend) : ComplianceScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class ComplianceOnPostgres(PostgresBackend backend) : ComplianceScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;

[Trait("Backend", "sqlserver")]
public sealed class ComplianceOnSqlServer(SqlServerBackend backend) : ComplianceScenarios<SqlServerBackend>(backend), IClassFixture<SqlServerBackend>;
