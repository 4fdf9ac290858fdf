using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>Triage in a real browser: tags and priority set in the conversation view and filtered in the inbox, unread counts, search by name, teams.</summary>
[Trait("Backend", "sqlite")]
public sealed class ConsoleTriageScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task An_agent_tags_a_conversation_and_makes_it_urgent_and_the_inbox_filters_find_only_it()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var late = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my parcel?"));
        var other = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-2", "bob", "Hello"));
        await admin.PutJson(brand.Path($"conversations/{other.Str("conversationId")}/tags"), new { tags = new[] { "vip" } });
        var id = late.Str("conversationId");

        await OpenAsync(page, id);
        var tags = page.Locator("[data-test=triage] [data-test=tag]");
        await Assertions.Expect(page.Locator("[data-test=triage] [data-test=no-tags]")).ToBeVisibleAsync();
        await Input(page.Locator("[data-test=triage]"), "tag-input").FillAsync("Late Delivery");
        await page.ClickAsync("[data-test=add-tag]");
        await Assertions.Expect(tags).ToHaveTextAsync(["late-delivery"]);
        await Input(page.Locator("[data-test=triage]"), "tag-input").FillAsync("vip");
        await Input(page.Locator("[data-test=triage]"), "tag-input").PressAsync("Enter");
        await Assertions.Expect(tags).ToHaveTextAsync(["late-delivery", "vip"]);

        // A tag that cannot be one: the field says why, and nothing is saved.
        await Input(page.Locator("[data-test=triage]"), "tag-input").FillAsync("no/slash");
        await page.ClickAsync("[data-test=add-tag]");
        await Assertions.Expect(page.Locator("[data-test=triage]")).ToContainTextAsync("letters, digits or - _ . :");
        await Assertions.Expect(tags).ToHaveTextAsync(["late-delivery", "vip"]);

        // Removing a chip removes the tag.
        await tags.Filter(new() { HasTextString = "vip" }).Locator(".mud-chip-close-button").ClickAsync();
        await Assertions.Expect(tags).ToHaveTextAsync(["late-delivery"]);

        await page.ClickAsync("[data-test=priority-select]");
        await page.GetByRole(AriaRole.Option, new() { Name = "urgent", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=priority]")).ToHaveTextAsync("urgent");

        // The history says it in words.
        await Assertions.Expect(page.Locator("[data-test=messages] [data-test=event][data-event=tags-changed]")).ToHaveTextAsync(
            [new Regex("sam added late-delivery"), new Regex("sam added vip"), new Regex("sam removed vip")]);
        await Assertions.Expect(page.Locator("[data-test=messages] [data-test=event][data-event=priority-changed]"))
            .ToContainTextAsync("sam set the priority to urgent (was normal)");
        var stored = await admin.GetJson(brand.Path("conversations/" + id));
        Assert.Equal(["late-delivery"], stored.Body!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("urgent", stored.Str("priority"));

        // The inbox: by tag (as typed, normalized), then by priority, only this conversation.
        await page.ClickAsync("[data-test=back]");
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveCountAsync(2);
        await Input(page, "filter-tag").FillAsync("Late Delivery");
        await Input(page, "filter-tag").PressAsync("Enter");
        await Assertions.Expect(customers).ToHaveTextAsync([late.Str("customerId")]);
        await Assertions.Expect(Input(page, "filter-tag")).ToHaveValueAsync("late-delivery");
        await Assertions.Expect(page.Locator("[data-test=inbox] [data-test=tag]")).ToHaveTextAsync(["late-delivery"]);
        await Assertions.Expect(page.Locator("[data-test=inbox] [data-test=priority]")).ToHaveTextAsync(["urgent"]);

        await Input(page, "filter-tag").FillAsync("");
        await Input(page, "filter-tag").PressAsync("Enter");
        await Assertions.Expect(customers).ToHaveCountAsync(2);
        await page.ClickAsync("[data-test=filter-priority]");
        await page.GetByRole(AriaRole.Option, new() { Name = "urgent", Exact = true }).ClickAsync();
        await Assertions.Expect(customers).ToHaveTextAsync([late.Str("customerId")]);
    }

    [Fact]
    public async Task Unread_counts_drop_when_a_conversation_is_opened_and_rise_live_when_a_customer_writes()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var ann = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "ann", "Where is my parcel?"));
        var bob = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-2", "bob", "Hello"));
        await admin.PostJson(brand.Path($"conversations/{bob.Str("conversationId")}/assign"), new { agentId = "sam" });

        await page.GotoAsync("/app/inbox");
        await Assertions.Expect(Count(page, "unread-all")).ToHaveTextAsync("2");
        await Assertions.Expect(Count(page, "unread-filter")).ToHaveTextAsync("2");
        await Assertions.Expect(Count(page, "unread-mine")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-test=inbox] [data-test=unread]")).ToHaveTextAsync(["1", "1"]);

        // Opening Ann's conversation reads it.
        await page.Locator("[data-test=inbox] tr", new() { HasTextString = ann.Str("customerId") }).ClickAsync();
        await page.WaitForURLAsync("**/app/conversations/" + ann.Str("conversationId"));
        await Assertions.Expect(page.Locator("[data-test=header]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-test=back]");
        await Assertions.Expect(Count(page, "unread-all")).ToHaveTextAsync("1");
        await Assertions.Expect(Count(page, "unread-mine")).ToHaveTextAsync("1");
        Assert.Equal(0, (await admin.GetJson(brand.Path("conversations/" + ann.Str("conversationId")))).Long("unreadCount"));

        // Unread only: Bob's; the filter's count follows the filter.
        await page.ClickAsync("[data-test=filter-unread]");
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveTextAsync([bob.Str("customerId")]);
        await Assertions.Expect(page.Locator("[data-test=live]")).ToHaveTextAsync("live");

        // Ann writes again: the counts and the list follow, without a reload.
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;
        await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-3", "ann", "Any news?"));
        await Assertions.Expect(Count(page, "unread-all")).ToHaveTextAsync("2", new() { Timeout = 5_000 });
        await Assertions.Expect(Count(page, "unread-filter")).ToHaveTextAsync("2");
        await Assertions.Expect(Count(page, "unread-mine")).ToHaveTextAsync("1");
        await Assertions.Expect(customers).ToHaveTextAsync([ann.Str("customerId"), bob.Str("customerId")]);
        Assert.Equal(0, navigations);
    }

    [Fact]
    public async Task Searching_a_customer_name_without_its_accent_finds_their_conversation()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var zoe = await admin.PostJson(brand.InboundPath, Named("m-1", "u-1", "Zoë Martin"));
        var noah = await admin.PostJson(brand.InboundPath, Named("m-2", "u-2", "Noah Smith"));

        await page.GotoAsync("/app/inbox");
        var customers = page.Locator("[data-test=inbox] [data-test=customer]");
        await Assertions.Expect(customers).ToHaveCountAsync(2);

        // Typed as a person types: the search runs once they pause.
        await Input(page, "filter-customer-name").PressSequentiallyAsync("zoe", new() { Delay = 60 });
        await Assertions.Expect(customers).ToHaveTextAsync([zoe.Str("customerId")]);

        await Input(page, "filter-customer-name").FillAsync("smi");
        await Assertions.Expect(customers).ToHaveTextAsync([noah.Str("customerId")]);
        await Input(page, "filter-customer-name").FillAsync("artin");
        await Assertions.Expect(page.Locator("[data-test=inbox-empty]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_makes_a_team_in_settings_and_a_conversation_handed_to_it_goes_to_its_available_member()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "My order is late"))).Str("conversationId");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        await page.GotoAsync("/app/settings");
        var section = page.Locator("[data-test=teams]");
        await Assertions.Expect(section.Locator("[data-test=teams-empty]")).ToBeVisibleAsync();

        // The rules, by field: a bad id and a member listed twice; nothing is saved.
        await Input(section, "team-id-input").FillAsync("logistics team");
        await Input(section, "team-name-input").FillAsync("Logistics");
        await section.Locator("[data-test=add-member]").ClickAsync();
        await section.Locator("[data-test=add-member]").ClickAsync();
        var rows = section.Locator("[data-test=member-row]");
        await Input(rows.Nth(0), "member-agent").FillAsync("ann");
        await Input(rows.Nth(1), "member-agent").FillAsync("ann");
        await section.Locator("[data-test=save-team]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=team-form]")).ToContainTextAsync("must match [A-Za-z0-9_-]{1,64}.");
        await Assertions.Expect(section.Locator("[data-test=team-form]")).ToContainTextAsync("is listed twice.");
        Assert.Empty((await admin.GetJson(brand.Path("teams"))).Body!["items"]!.AsArray());

        // Fixed: Ann is away, Bob is available.
        await Input(section, "team-id-input").FillAsync("logistics");
        await Input(rows.Nth(1), "member-agent").FillAsync("bob");
        await rows.Nth(0).Locator("[data-test=member-available]").ClickAsync();
        await section.Locator("[data-test=save-team]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=team-list] [data-test=team-name]")).ToHaveTextAsync(["Logistics"]);
        await Assertions.Expect(section.Locator("[data-test=team-list] [data-test=team-member]")).ToHaveTextAsync(["ann (away)", "bob"]);
        var team = await admin.GetJson(brand.Path("teams/logistics"));
        Assert.Equal([("ann", false), ("bob", true)],
            team.Body!["members"]!.AsArray().Select(m => (m!["agentId"]!.GetValue<string>(), m["available"]!.GetValue<bool>())));

        // Handed to the team, the conversation goes to Bob, the one available.
        await page.GotoAsync("/app/conversations/" + id);
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=team]")).ToHaveTextAsync("none");
        await page.ClickAsync("[data-test=team-select]");
        await page.GetByRole(AriaRole.Option, new() { Name = "Logistics", Exact = true }).ClickAsync();
        await page.ClickAsync("[data-test=hand-to-team]");
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=assignee]")).ToHaveTextAsync("bob");
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=team]")).ToHaveTextAsync("Logistics");
        await Assertions.Expect(page.Locator("[data-test=messages] [data-test=event][data-event=team-changed]")).ToContainTextAsync("handed it to team Logistics");
        var stored = await admin.GetJson(brand.Path("conversations/" + id));
        Assert.Equal("logistics", stored.Str("teamId"));
        Assert.Equal("bob", stored.Str("assignee"));

        // The inbox's team filter lists it.
        await page.GotoAsync("/app/inbox");
        await page.ClickAsync("[data-test=filter-team]");
        await page.GetByRole(AriaRole.Option, new() { Name = "Logistics", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=inbox] [data-test=team]")).ToHaveTextAsync(["Logistics"]);
    }

    private async Task<(BrandSetup Brand, IPage Page)> SignedInAgentAsync()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        var agentKey = await Node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam");
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, agentKey);
        return (brand, page);
    }

    private static async Task OpenAsync(IPage page, string conversationId)
    {
        await page.GotoAsync("/app/conversations/" + conversationId);
        await Assertions.Expect(page.Locator("[data-test=header]")).ToBeVisibleAsync();
    }

    private static object Named(string messageId, string userId, string name) => new
    {
        externalMessageId = messageId,
        externalUserId = userId,
        userDisplayName = name,
        text = "hello",
        timestamp = DateTimeOffset.UtcNow,
        thread = new { visibility = "private" },
    };

    private static ILocator Count(IPage page, string view) => page.Locator($"[data-test={view}] [data-test=count]");

    /// <summary>The input of a field, whether the test id sits on it or around it.</summary>
    private static ILocator Input(IPage page, string name) => Input(page.Locator("body"), name);

    private static ILocator Input(ILocator scope, string name) =>
        scope.Locator($"[data-test={name}]").Locator("xpath=descendant-or-self::*[self::input or self::textarea]").First;
}
