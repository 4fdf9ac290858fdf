using System.Net;
using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>The mood dashboard and the settings screen in a real browser: charts that add up, who may see what, keys and secrets.</summary>
[Trait("Backend", "sqlite")]
public sealed class MoodAndSettingsScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private const string Happy = "I love this, it is amazing!";
    private const string Angry = "This is terrible, I hate it. Worst service ever.";

    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task The_mood_dashboard_charts_what_was_ingested_and_its_totals_add_up()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var texts = new[] { Happy, Happy, Happy, Angry, Angry };
        for (var i = 0; i < texts.Length; i++)
            await admin.PostJson(brand.InboundPath, BrandSetup.Inbound($"m-{i}", $"u-{i}", texts[i]));
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("c-1", "u-9", Angry, "public", "post-1"));
        var agentKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, agentKey);

        await page.ClickAsync("[data-test=nav-mood]");
        await page.WaitForURLAsync("**/app/mood");

        // The aggregates are written once a second: the dashboard picks them up by itself.
        await Assertions.Expect(page.Locator("[data-test=total-messages]")).ToHaveTextAsync("6", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-test=total-positive]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-test=total-negative]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-test=total-neutral]")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-test=total-public]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-test=total-private]")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("[data-test=mood-volume] svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=mood-mean] svg").First).ToBeVisibleAsync();

        // Only the public messages: the totals follow the filter.
        await page.ClickAsync("[data-test=filter-visibility]");
        await page.GetByRole(AriaRole.Option, new() { Name = "public", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=total-messages]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-test=total-negative]")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task An_agent_sees_the_mood_dashboard_but_not_the_settings()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "ann");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, agentKey);

        await Assertions.Expect(page.Locator("[data-test=nav-mood]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=nav-settings]").CountAsync());

        await page.GotoAsync("/app/settings");
        await Assertions.Expect(page.Locator("[data-test=denied]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=settings]").CountAsync());

        await page.GotoAsync("/app/mood");
        await Assertions.Expect(page.Locator("[data-test=mood-totals]")).ToBeVisibleAsync();
    }

    private static ILocator Input(IPage page, string test) => page.Locator($"input[data-test={test}], [data-test={test}] input").First;

    [Fact]
    public async Task An_admin_creates_a_key_that_is_shown_once_and_works_then_revokes_it_and_it_stops()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        await page.ClickAsync("[data-test=nav-settings]");
        await page.WaitForURLAsync("**/app/settings");

        await Input(page, "key-name-input").FillAsync("robin");
        await page.ClickAsync("[data-test=create-key]");
        await Assertions.Expect(page.Locator("[data-test=new-key-warning]")).ToContainTextAsync("only time");
        var key = await Input(page, "new-key").InputValueAsync();
        Assert.Matches("^sck_[A-Za-z0-9_-]{20,}$", key);
        await Assertions.Expect(page.Locator("[data-test=key-name]", new() { HasTextString = "robin" })).ToBeVisibleAsync();

        using (var robin = Node.Client(key))
            Assert.Equal(HttpStatusCode.OK, (await robin.GetJson(brand.Path("conversations"))).Status);

        // Shown once: dismissed, it is gone from the page for good.
        await page.ClickAsync("[data-test=key-stored]");
        await Assertions.Expect(page.Locator("[data-test=new-key-warning]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync());

        using var admin = brand.Admin();
        var keys = await admin.GetJson(brand.Path("api-keys"));
        var id = keys.Body!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "robin")!["id"]!.GetValue<string>();
        await page.ClickAsync($"[data-test=revoke-{id}]");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=key-list] tr", new() { HasTextString = "robin" }).Locator("[data-test=key-state]"))
            .ToContainTextAsync("revoked");

        using (var robin = Node.Client(key))
            Assert.Equal(HttpStatusCode.Unauthorized, (await robin.GetJson(brand.Path("conversations"))).Status);
    }

    [Fact]
    public async Task A_rotated_channel_secret_is_never_shown_back()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var secret = "rotated-" + Guid.NewGuid().ToString("N");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        await page.GotoAsync("/app/settings");

        await page.ClickAsync($"[data-test=rotate-{brand.ChannelId}]");
        await Assertions.Expect(page.Locator("[data-test=channel-list] tr", new() { HasTextString = brand.ChannelId }).Locator("[data-test=channel-secrets]"))
            .Not.ToContainTextAsync("accessToken");
        var field = Input(page, "secret-accessToken");
        Assert.Equal("password", await field.GetAttributeAsync("type"));
        await field.FillAsync(secret);
        await page.ClickAsync("[data-test=rotate-save]");

        await Assertions.Expect(page.Locator("[data-test=channel-list] tr", new() { HasTextString = brand.ChannelId }).Locator("[data-test=channel-secrets]"))
            .ToContainTextAsync("accessToken");
        await Assertions.Expect(page.Locator("[data-test=rotation]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        var values = await page.EvalOnSelectorAllAsync<string[]>("input", "inputs => inputs.map(i => i.value)");
        Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));

        using var admin = brand.Admin();
        var channel = await admin.GetJson(brand.Path($"channels/{brand.ChannelId}"));
        Assert.Contains("accessToken", channel.Body!["configuredSecrets"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.DoesNotContain(secret, channel.Raw);
    }

    [Fact]
    public async Task A_brand_settings_change_persists()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        await page.GotoAsync("/app/settings");

        await Input(page, "opt-out-keywords").FillAsync("stop, halt");
        await Input(page, "retention-days").FillAsync("30");
        await page.ClickAsync("[data-test=save-brand-settings]");
        await Assertions.Expect(page.GetByText("Brand settings saved.")).ToBeVisibleAsync();

        using var admin = brand.Admin();
        var settings = await admin.GetJson(brand.Path("settings"));
        Assert.Equal(30, settings.Body!["retentionDays"]!.GetValue<int>());
        Assert.Equal(["stop", "halt"], settings.Body!["optOutKeywords"]!.AsArray().Select(k => k!.GetValue<string>()));

        // And the screen reads it back after a reload.
        await page.ReloadAsync();
        await Assertions.Expect(Input(page, "retention-days")).ToHaveValueAsync("30");
    }
}
