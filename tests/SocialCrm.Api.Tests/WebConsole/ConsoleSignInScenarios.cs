using System.Net;
using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>Signing in to the web console, what each role sees, and how a session ends, in a real browser.</summary>
[Trait("Backend", "sqlite")]
public sealed class ConsoleSignInScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_signs_in_with_a_typed_key_and_sees_the_inbox_but_no_compliance_or_settings()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);

        await ConsolePages.SignInAsync(page, agentKey);

        Assert.EndsWith("/app/inbox", page.Url);
        Assert.DoesNotContain(agentKey, page.Url);
        await Assertions.Expect(page.Locator("[data-test=who]")).ToContainTextAsync("sam · agent");
        await Assertions.Expect(page.Locator("[data-test=nav-inbox]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=nav-mood]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=nav-compliance]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-test=nav-settings]").CountAsync());

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "socialcrm-console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(agentKey, cookie.Value);
    }

    [Fact]
    public async Task An_admin_sees_every_section()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);

        await ConsolePages.SignInAsync(page, brand.AdminKey);

        foreach (var section in new[] { "inbox", "mood", "customers", "compliance", "settings" })
            await Assertions.Expect(page.Locator($"[data-test=nav-{section}]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_key_or_a_bot_key_is_refused_with_a_reason_and_no_session()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var botKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "bot", "echo");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);

        await ConsolePages.SignInAsync(page, "sk_" + new string('A', 43), expectSuccess: false);
        await Assertions.Expect(page.Locator("[data-test=sign-in-error]")).ToContainTextAsync("does not work");

        await ConsolePages.SignInAsync(page, botKey, expectSuccess: false);
        await Assertions.Expect(page.Locator("[data-test=sign-in-error]")).ToContainTextAsync("no console");

        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "socialcrm-console");
        await page.GotoAsync("/app/inbox");
        Assert.Contains("/app/login", page.Url);
    }

    [Fact]
    public async Task A_revoked_keys_session_ends_at_its_next_request()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var created = await admin.PostJson(brand.Path("api-keys"), new { name = "temp", role = "agent" });
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, created.Str("key"));

        var revoked = await admin.Delete(brand.Path($"api-keys/{created.Str("id")}"));
        Assert.True(revoked.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, revoked.Raw);

        await page.GotoAsync("/app/inbox");
        await page.WaitForURLAsync("**/app/login**");
        await Assertions.Expect(page.Locator("[data-test=sign-in-form]")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "socialcrm-console");
    }

    [Fact]
    public async Task Signing_out_ends_the_session_for_every_copy_of_its_cookie()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        // Another tab, or a copied cookie: the same session.
        var copy = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await copy.Context.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        await copy.GotoAsync("/app/inbox");
        await Assertions.Expect(copy.Locator("[data-test=who]")).ToBeVisibleAsync();

        await page.ClickAsync("[data-test=sign-out]");
        await page.WaitForURLAsync("**/app/login");
        await page.GotoAsync("/app/inbox");
        Assert.Contains("/app/login", page.Url);

        // The open screen of the copy signs out by itself; a new page request with it is sent to the form.
        await copy.WaitForURLAsync("**/app/login**", new() { Timeout = 30_000 });
        await copy.GotoAsync("/app/inbox");
        Assert.Contains("/app/login", copy.Url);
    }

    [Fact]
    public async Task A_return_address_after_sign_in_is_a_console_screen_never_a_download_or_elsewhere()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        foreach (var returnUrl in new[] { "/app/download/consents.csv?purpose=marketing", "//evil.example/app/", "https://evil.example/" })
        {
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync("/app/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
            await page.FillAsync("[data-test=key]", brand.AdminKey);
            await page.ClickAsync("[data-test=sign-in]");
            await page.WaitForURLAsync("**/app/inbox");
        }
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/app/login?returnUrl=" + Uri.EscapeDataString("/app/settings"));
        await page.FillAsync("[data-test=key]", brand.AdminKey);
        await page.ClickAsync("[data-test=sign-in]");
        await page.WaitForURLAsync("**/app/settings");
    }

    [Fact]
    public async Task A_form_post_without_the_anti_forgery_token_is_refused()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var client = Node.Client();
        using var signIn = await client.PostAsync("/app/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = brand.AdminKey }), Cancel);
        var reply = await Reply.ReadAsync(signIn);
        reply.AssertProblem(HttpStatusCode.BadRequest, "validation");
        Assert.False(signIn.Headers.Contains("Set-Cookie") && signIn.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("socialcrm-console", StringComparison.Ordinal)));

        using var signOut = await client.PostAsync("/app/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>()), Cancel);
        (await Reply.ReadAsync(signOut)).AssertProblem(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Console_pages_carry_strict_security_headers_and_a_page_without_a_session_goes_to_the_sign_in_form()
    {
        using var client = Node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app/inbox");
        request.Headers.Accept.ParseAdd("text/html");
        using var redirected = await client.SendAsync(request, Cancel);
        Assert.Equal("/app/login", redirected.RequestMessage!.RequestUri!.AbsolutePath);

        using var login = await client.GetAsync("/app/login", Cancel);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var csp = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline' ; script", csp);
        Assert.DoesNotMatch("script-src[^;]*unsafe", csp);
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());

        // A script's request (not a page) gets no redirect, and the API never takes the console's cookie.
        using var api = await client.GetAsync("/v1/brands/any/conversations", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }
}
