using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>The customers list, the customer panel and the compliance screen, with their downloads, in a real browser.</summary>
[Trait("Backend", "sqlite")]
public sealed class CustomerAndComplianceScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_compliance_officer_sees_customers_and_compliance_but_no_inbox()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);

        await ConsolePages.SignInAsync(page, key);

        await Assertions.Expect(page.Locator("[data-test=nav-compliance]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=nav-customers]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=nav-inbox]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-test=nav-settings]").CountAsync());
        // Typing the inbox's address does not open it either.
        await page.GotoAsync("/app/inbox");
        await Assertions.Expect(page.Locator("[data-test=inbox]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_customers_consent_with_its_history_and_evidence_shows_on_the_panel_reached_from_the_list()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var inbound = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Any deals?"));
        var customerId = inbound.Str("customerId");
        await admin.PutJson(brand.Path($"customers/{customerId}/consents/marketing"),
            new { status = "granted", lawfulBasis = "consent", source = "webchat", evidence = "opt-in checkbox, form 7", policyVersion = "v3" });
        await admin.PutJson(brand.Path($"customers/{customerId}/consents/marketing"),
            new { status = "withdrawn", lawfulBasis = "consent", source = "agent", evidence = "asked on the phone" });
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, key);

        await page.ClickAsync("[data-test=nav-customers]");
        await page.ClickAsync($"[data-test=customer-link]:text-is('{customerId}')");
        await page.WaitForURLAsync($"**/app/customers/{customerId}");

        var marketing = page.Locator("[data-test=consent-marketing]");
        await Assertions.Expect(marketing.Locator("[data-test=consent-state]")).ToHaveTextAsync("withdrawn");
        await Assertions.Expect(marketing.Locator("[data-test=consent-evidence]")).ToHaveTextAsync("asked on the phone");
        await Assertions.Expect(page.Locator("[data-test=consent-profiling] [data-test=consent-state]")).ToHaveTextAsync("unknown");
        var history = page.Locator("[data-test=history-row]");
        await Assertions.Expect(history).ToHaveCountAsync(2);
        // Newest first: the withdrawal, then the grant with its evidence.
        await Assertions.Expect(history.Nth(0)).ToContainTextAsync("withdrawn");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("opt-in checkbox, form 7");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("v3");
        await Assertions.Expect(page.Locator("[data-test=identity]")).ToContainTextAsync("ann");
        // No profiling consent and no legitimate interest: the mood is refused, with the reason.
        await Assertions.Expect(page.Locator("[data-test=mood-refused]")).ToContainTextAsync("not allowed");
        // A compliance officer sees the conversation but has no agent's link to it.
        await Assertions.Expect(page.Locator("[data-test=conversation]")).ToHaveTextAsync(inbound.Str("conversationId"));
        Assert.Equal(0, await page.Locator("[data-test=conversation-link]").CountAsync());
        // The panel's reads are in the audit entries about this customer.
        await Assertions.Expect(page.Locator("[data-test=customer-audit] [data-test=audit-action]", new() { HasTextString = "consent.read" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_access_export_downloads_with_the_customers_messages_and_is_audited()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var first = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "My order 4711 is late"));
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-2", "ann", "Still waiting"));
        var customerId = first.Str("customerId");
        await admin.PutJson(brand.Path($"customers/{customerId}/consents/profiling"), new { status = "granted", lawfulBasis = "consent", source = "app" });
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, key);
        await page.GotoAsync($"/app/customers/{customerId}");
        // With profiling consent the mood is shown, and on which basis.
        await Assertions.Expect(page.Locator("[data-test=mood-basis]")).ToContainTextAsync("consent");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-test=export]"));

        Assert.Equal($"customer-{customerId}-export.json", download.SuggestedFilename);
        var export = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, Cancel))!;
        Assert.Equal(customerId, export["profile"]!["id"]!.GetValue<string>());
        var texts = export["conversations"]!.AsArray().SelectMany(c => c!["messages"]!.AsArray()).Select(m => m!["text"]?.GetValue<string>()).ToList();
        Assert.Contains("My order 4711 is late", texts);
        Assert.Contains("Still waiting", texts);
        // Audited as the API's export is: by the grain, naming the console user.
        var audit = await admin.GetJson(brand.Path($"audit?customerId={customerId}"));
        Assert.Contains(audit.Body!["items"]!.AsArray(),
            e => e!["action"]!.GetValue<string>() == "customer.export" && e!["actor"]!.GetValue<string>() == "compliance:cora");
    }

    [Fact]
    public async Task Erasure_needs_the_typed_customer_id_and_then_really_erases()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        const string secret = "QX-ann-private-words-5521";
        var inbound = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", secret));
        var customerId = inbound.Str("customerId");
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, key);
        await page.GotoAsync($"/app/customers/{customerId}");
        await Assertions.Expect(page.Locator("[data-test=customer-panel]")).ToBeVisibleAsync();

        var erase = page.Locator("[data-test=erase]");
        await Assertions.Expect(erase).ToBeDisabledAsync();
        await Input(page, "erase-confirm").FillAsync(customerId[..^1]);
        await Assertions.Expect(erase).ToBeDisabledAsync();
        await Input(page, "erase-confirm").FillAsync(customerId);
        await Assertions.Expect(erase).ToBeEnabledAsync();
        await erase.ClickAsync();

        await Assertions.Expect(page.Locator("[data-test=erased]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=customer-panel]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=customer-audit] [data-test=audit-action]", new() { HasTextString = "customer.erase" })).ToHaveCountAsync(1);
        (await admin.GetJson(brand.Path($"customers/{customerId}"))).AssertProblem(HttpStatusCode.Gone, "erased");
        using var cookieClient = await ConsoleClientAsync(page);
        using var export = await cookieClient.GetAsync($"/app/download/customers/{customerId}/export", Cancel);
        Assert.Equal(HttpStatusCode.Gone, export.StatusCode);
        Assert.DoesNotContain(secret, await export.Content.ReadAsStringAsync(Cancel));
        var conversation = await admin.GetJson(brand.Path($"conversations/{inbound.Str("conversationId")}/messages"));
        Assert.DoesNotContain(secret, conversation.Raw);
    }

    [Fact]
    public async Task An_agent_sees_the_panel_without_export_or_erasure_and_the_download_refuses_their_cookie()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var inbound = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hello"));
        var customerId = inbound.Str("customerId");
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, key);

        await page.GotoAsync($"/app/customers/{customerId}");
        await Assertions.Expect(page.Locator("[data-test=customer-panel]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=consent-marketing] [data-test=consent-state]")).ToHaveTextAsync("unknown");
        // An agent may open the conversation.
        await Assertions.Expect(page.Locator("[data-test=conversation-link]")).ToHaveAttributeAsync("href", $"/app/conversations/{inbound.Str("conversationId")}");
        Assert.Equal(0, await page.Locator("[data-test=export]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-test=erase]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-test=customer-audit]").CountAsync());

        using var cookieClient = await ConsoleClientAsync(page);
        using var export = await cookieClient.GetAsync($"/app/download/customers/{customerId}/export", Cancel);
        (await Reply.ReadAsync(export)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        using var csv = await cookieClient.GetAsync("/app/download/consents.csv?purpose=marketing", Cancel);
        (await Reply.ReadAsync(csv)).AssertProblem(HttpStatusCode.Forbidden, "forbidden");
        // The compliance screen is not theirs either.
        await page.GotoAsync("/app/compliance");
        await Assertions.Expect(page.Locator("[data-test=denied]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=audit-verification]").CountAsync());
    }

    [Fact]
    public async Task The_compliance_screen_shows_the_audit_chain_verified()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var inbound = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hi"));
        await admin.GetJson(brand.Path($"customers/{inbound.Str("customerId")}"));
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);

        await ConsolePages.SignInAsync(page, key);

        Assert.EndsWith("/app/compliance", page.Url);
        var verification = page.Locator("[data-test=audit-verification]");
        await Assertions.Expect(verification).ToContainTextAsync("verified");
        await Assertions.Expect(verification).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(page.Locator("[data-test=audit] [data-test=audit-action]", new() { HasTextString = "profile.read" })).ToHaveCountAsync(1);
        // No retention period is set: the run is refused with the grain's reason.
        await page.ClickAsync("[data-test=retention-run]");
        await page.ClickAsync("[data-test=retention-confirm]");
        await Assertions.Expect(page.Locator("[data-test=retention-refused]")).ToContainTextAsync("no retention period");
    }

    [Fact]
    public async Task The_consent_report_shows_as_a_table_and_downloads_as_csv()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var ids = new List<string>();
        foreach (var user in new[] { "ann", "bob", "cy" })
            ids.Add((await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-" + user, user, "hi"))).Str("customerId"));
        await admin.PutJson(brand.Path($"customers/{ids[0]}/consents/marketing"), new { status = "granted", lawfulBasis = "consent", source = "form, page 2" });
        await admin.PutJson(brand.Path($"customers/{ids[1]}/consents/marketing"), new { status = "withdrawn", lawfulBasis = "consent", source = "agent" });
        var key = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "compliance", "cora");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, key);

        await page.ClickAsync("[data-test=report-show]");
        await Assertions.Expect(page.Locator("[data-test=report-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-test=report-row]", new() { HasTextString = ids[0] }).Locator("[data-test=report-state]")).ToHaveTextAsync("granted");
        await Assertions.Expect(page.Locator("[data-test=report-row]", new() { HasTextString = ids[2] }).Locator("[data-test=report-state]")).ToHaveTextAsync("unknown");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-test=report-csv]"));

        Assert.Equal("consents-marketing.csv", download.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!, Cancel)).TrimEnd().Split('\n');
        Assert.StartsWith("customerId,purpose,status,effective", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(ids[0] + ",marketing,granted,true,consent,\"form, page 2\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(ids[1] + ",marketing,withdrawn,false", StringComparison.Ordinal));
        // The report is audited, once for the table and once for the file, as the console user.
        var audit = await admin.GetJson(brand.Path("audit?actor=compliance:cora"));
        Assert.Equal(2, audit.Body!["items"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "consent.report"));
    }

    /// <summary>A text field's input, wherever MudBlazor puts the test attribute.</summary>
    private static ILocator Input(IPage page, string name) =>
        page.Locator($"input[data-test={name}], [data-test={name}] input").First;

    /// <summary>An HTTP client carrying the page's console cookie, as the browser's own GET would.</summary>
    private async Task<HttpClient> ConsoleClientAsync(IPage page)
    {
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "socialcrm-console");
        using var node = Node.Client();
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        return client;
    }
}
