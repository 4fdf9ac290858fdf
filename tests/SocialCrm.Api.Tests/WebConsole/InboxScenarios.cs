using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>The unified inbox in a real browser: live, filtered, and opening a conversation.</summary>
[Trait("Backend", "sqlite")]
public sealed class InboxScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task A_message_posted_to_the_API_moves_its_conversation_to_the_top_of_an_open_inbox_without_a_reload()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var first = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my parcel?"));
        var second = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-2", "bob", "Hello there"));
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveCountAsync(2);
        await Assertions.Expect(customers.First).ToHaveTextAsync(second.Str("customerId"));
        await Assertions.Expect(page.Locator("[data-test=live]")).ToHaveTextAsync("live");
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;

        // Ann writes again: her conversation moves to the top, in the page as it is.
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-3", "ann", "Any news?"));
        await Assertions.Expect(customers.First).ToHaveTextAsync(first.Str("customerId"), new() { Timeout = 5_000 });
        // A new customer appears as a new row.
        var carol = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-4", "carol", "Hi"));
        await Assertions.Expect(customers.First).ToHaveTextAsync(carol.Str("customerId"), new() { Timeout = 5_000 });
        await Assertions.Expect(customers).ToHaveCountAsync(3);
        Assert.Equal(0, navigations);
    }

    [Fact]
    public async Task The_sentiment_filter_shows_the_angriest_conversations_only()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var angry = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("a-1", "dan", "This is terrible, the worst service ever. I am furious!"));
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("h-1", "eve", "I love it, thank you so much, great job!"));
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveCountAsync(2);

        await page.ClickAsync("[data-test=filter-sentiment]");
        await page.GetByRole(AriaRole.Option, new() { Name = "negative" }).ClickAsync();

        await Assertions.Expect(customers).ToHaveCountAsync(1);
        await Assertions.Expect(customers.First).ToHaveTextAsync(angry.Str("customerId"));
    }

    [Fact]
    public async Task Mine_shows_the_conversations_assigned_to_the_signed_in_agent()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam");
        using var admin = brand.Admin();
        var mine = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("x-1", "fay", "Help please"));
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("x-2", "gus", "Help me too"));
        var assigned = await admin.PostJson(brand.Path($"conversations/{mine.Str("conversationId")}/assign"), new { agentId = "sam" });
        Assert.Equal(System.Net.HttpStatusCode.OK, assigned.Status);
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, agentKey);
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveCountAsync(2);

        await page.ClickAsync("[data-test=filter-mine]");

        await Assertions.Expect(customers).ToHaveCountAsync(1);
        await Assertions.Expect(customers.First).ToHaveTextAsync(mine.Str("customerId"));
    }
}
