using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Operations;

/// <summary>
/// What a Prometheus scrape of <c>/metrics</c> shows: HTTP server, Orleans and runtime series, and the
/// service's own counters moving when messages arrive, replies are refused and webhooks deliver.
/// </summary>
public abstract class MetricsScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    private ServiceHost Node => backend.Node;

    // A node of its own process, as in production: in-process test nodes share ASP.NET Core's and
    // Orleans' meter names, and one node's shutdown ends those series for the others.
    [Fact]
    public async Task Metrics_are_Prometheus_text_with_http_orleans_and_ingest_series()
    {
        await using var node = await HostProcess.StartAsync(await backend.NewStorageAsync());
        using var bootstrap = node.Client(ServiceHost.BootstrapSecret);
        var brandId = TestIds.New("brand");
        var adminKey = (await bootstrap.PostJson("/v1/brands", new { id = brandId, name = "Metrics" })).Str("adminKey");
        using var admin = node.Client(adminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/v1/brands/{brandId}/channels",
            new { id = "web", platform = "webchat", externalAccountId = "site", displayName = "Web" })).Status);
        using var anonymous = node.Client();
        // Counted from what the scrape says now, not from zero: the count is the node's since it started.
        var before = Sum(await ScrapeAsync(anonymous), "socialcrm_messages_ingested_total", "duplicate=\"false\"");

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJson($"/v1/brands/{brandId}/channels/web/inbound", BrandSetup.Inbound("m-1", "ann", "Hello"))).Status);

        // The exporter caches a scrape for a moment: wait for the next one.
        var text = await EventuallyAsync(anonymous, t => Sum(t, "socialcrm_messages_ingested_total", "duplicate=\"false\"") == before + 1);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Matches(new Regex(@"^orleans_\w+", RegexOptions.Multiline), text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("kestrel_active_connections", text);
        // Tags are kinds and outcomes: the brand's id appears nowhere.
        Assert.DoesNotContain(brandId, text);
    }

    [Fact]
    public async Task A_reply_refused_for_lack_of_consent_is_counted_by_purpose()
    {
        var setup = await Node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var anonymous = Node.Client();
        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hello"));
        var before = Sum(await ScrapeAsync(anonymous), "socialcrm_consent_refusals_total", "purpose=\"marketing\"");

        (await admin.PostJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages"), new { text = "20% off!", purpose = "marketing" }))
            .AssertProblem(HttpStatusCode.Forbidden, "consent-required");

        await EventuallyAsync(anonymous, t => Sum(t, "socialcrm_consent_refusals_total", "purpose=\"marketing\"") >= before + 1);
    }

    [Fact]
    public async Task Webhook_attempts_are_counted_by_outcome()
    {
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        var storage = await backend.NewStorageAsync();
        storage["Webhooks:AllowPrivateNetworks"] = "true";
        storage["Webhooks:InitialBackoffMs"] = "50";
        storage["Webhooks:MaxBackoffMs"] = "100";
        await using var node = await backend.StartNodeAsync(storage);
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var anonymous = node.Client();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("webhooks"),
            new { id = "hook", url = receiver.Url, secret = "bot-secret-0123456789abcdef", events = new[] { "message.created" } })).Status);
        var scrape = await ScrapeAsync(anonymous);
        var (delivered, retrying) = (Sum(scrape, "socialcrm_webhook_deliveries_total", "outcome=\"delivered\""),
            Sum(scrape, "socialcrm_webhook_deliveries_total", "outcome=\"retrying\""));
        receiver.FailNext(1);

        await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hello"));

        await EventuallyAsync(anonymous, t =>
            Sum(t, "socialcrm_webhook_deliveries_total", "outcome=\"retrying\"") >= retrying + 1
            && Sum(t, "socialcrm_webhook_deliveries_total", "outcome=\"delivered\"") >= delivered + 1);
    }

    [Fact]
    public async Task With_Metrics_RequireKey_only_the_operator_key_may_scrape()
    {
        var storage = await backend.NewStorageAsync();
        storage["Metrics:RequireKey"] = "true";
        await using var node = await backend.StartNodeAsync(storage);
        var (_, adminKey) = await node.NewBrandAsync();

        using (var anonymous = node.Client()) (await anonymous.GetJson("/metrics")).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        using (var admin = node.Client(adminKey)) (await admin.GetJson("/metrics")).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        using var operatorClient = node.Client(ServiceHost.BootstrapSecret);
        Assert.Contains("socialcrm_", await ScrapeAsync(operatorClient));
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> EventuallyAsync(HttpClient client, Func<string, bool> condition)
    {
        var text = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            text = await ScrapeAsync(client);
            if (condition(text)) return text;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail("The scrape never showed the expected values:\n" + string.Join('\n', text.Split('\n').Where(l => l.StartsWith("socialcrm_"))));
        return text;
    }

    /// <summary>The sum of a series' samples whose labels include the given one (other nodes in this process count too).</summary>
    private static double Sum(string scrape, string series, string label) =>
        scrape.Split('\n')
            .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}

public sealed class MetricsOnSqlite(SqliteBackend backend) : MetricsScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

public sealed class MetricsOnPostgres(PostgresBackend backend) : MetricsScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
