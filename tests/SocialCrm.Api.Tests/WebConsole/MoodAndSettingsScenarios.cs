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
}
