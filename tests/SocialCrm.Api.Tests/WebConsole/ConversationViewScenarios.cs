using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;
using SocialCrm.Testing;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>The conversation view in a real browser: replying, taking private, publishing, assignment, status, the switchboard and live updates.</summary>
[Trait("Backend", "sqlite")]
public sealed class ConversationViewScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    [Fact]
    public async Task A_reply_sent_from_the_console_appears_once_and_is_stored()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var inbound = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Where is my parcel?"));
        var id = inbound.Str("conversationId");

        await OpenAsync(page, id);
        await Assertions.Expect(Messages(page).Locator("[data-test=message-text]")).ToHaveTextAsync(["Where is my parcel?"]);
        await Assertions.Expect(page.Locator("[data-test=window]")).ToContainTextAsync("No reply window");

        await Field(page, "reply-text").FillAsync("It left the warehouse today.");
        // A double press sends once: the same client message id until the reply is stored.
        await page.Locator("[data-test=send]").DblClickAsync();
        var agentMessages = Messages(page).Locator("[data-test=message][data-author-type=agent]");
        await Assertions.Expect(agentMessages).ToHaveCountAsync(1);
        await Assertions.Expect(agentMessages.Locator("[data-test=message-text]")).ToHaveTextAsync("It left the warehouse today.");
        await Assertions.Expect(agentMessages.Locator("[data-test=author]")).ToContainTextAsync("agent · sam");
        await Assertions.Expect(Field(page, "reply-text")).ToHaveValueAsync("");

        // The keyboard: r focuses the reply box, Ctrl+Enter sends.
        await page.Locator("[data-test=header]").ClickAsync();
        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(Field(page, "reply-text")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Tracking number follows.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(agentMessages).ToHaveCountAsync(2);

        var stored = (await admin.GetJson(brand.Path($"conversations/{id}/messages"))).Body!["items"]!.AsArray();
        var replies = stored.Where(m => m!["authorType"]!.GetValue<string>() == "agent").ToList();
        Assert.Equal(["It left the warehouse today.", "Tracking number follows."], replies.Select(m => m!["text"]!.GetValue<string>()));
        Assert.All(replies, m => Assert.Equal("sam", m!["authorId"]!.GetValue<string>()));
        Assert.All(replies, m => Assert.Equal("service", m!["purpose"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_reply_the_platform_refuses_is_shown_failed_with_the_reason()
    {
        await using var endpoint = await FakeWebChatEndpoint.StartAsync();
        var storage = new Dictionary<string, string?>(await backend.NewStorageAsync())
        {
            ["Platforms:WebChat:DeliveryUrl"] = endpoint.Url,
            ["Outbound:InitialBackoffMs"] = "300",
            ["Outbound:MaxBackoffMs"] = "300",
            ["Outbound:MaxAttempts"] = "3",
        };
        await using var node = await backend.StartNodeAsync(storage);
        var brand = await node.NewBrandWithChannelAsync();
        var page = await browser.NewPageAsync(node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, await node.NewKeyAsync(brand.BrandId, brand.AdminKey, "agent", "sam"));
        using var admin = brand.Admin();
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Hi"))).Str("conversationId");
        endpoint.FailNext(int.MaxValue);

        await OpenAsync(page, id);
        await Field(page, "reply-text").FillAsync("Hello from support");
        await page.Locator("[data-test=send]").ClickAsync();
        var reply = Messages(page).Locator("[data-test=message][data-author-type=agent]");
        await Assertions.Expect(reply.Locator("[data-test=delivery]")).ToHaveTextAsync("failed");
        await Assertions.Expect(reply.Locator("[data-test=delivery-error]")).ToContainTextAsync("Not delivered: The web chat endpoint answered 503.");
    }

    [Fact]
    public async Task Taking_a_public_message_private_links_a_private_conversation_both_ways()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var complaint = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("c-1", "ann", "My order never came!!", "public", "post-7"));
        var publicId = complaint.Str("conversationId");

        await OpenAsync(page, publicId);
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=visibility]")).ToHaveTextAsync("public");
        await Messages(page).Locator("[data-test=choose-take-private]").ClickAsync();
        await Field(page, "take-private-pointer").FillAsync("Sorry Ann, we sent you a private message.");
        await page.Locator("[data-test=take-private]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-test=notice-link]")).ToBeVisibleAsync();
        var privateId = (await page.Locator("[data-test=notice-link]").TextContentAsync())!.Trim();
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=linked-conversation]")).ToHaveTextAsync([privateId]);
        await Assertions.Expect(Messages(page).Locator("[data-test=message][data-author-type=agent] [data-test=message-text]"))
            .ToHaveTextAsync("Sorry Ann, we sent you a private message.");
        await Assertions.Expect(Messages(page).Locator("[data-test=event][data-event=taken-private]")).ToHaveCountAsync(1);

        await page.Locator("[data-test=notice-link]").ClickAsync();
        await page.WaitForURLAsync("**/app/conversations/" + privateId);
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=visibility]")).ToHaveTextAsync("private");
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=linked-conversation]")).ToHaveTextAsync([publicId]);
        await Assertions.Expect(page.Locator("[data-test=customer-link]")).ToHaveAttributeAsync("href", "/app/customers/" + complaint.Str("customerId"));

        var privateThread = await admin.GetJson(brand.Path("conversations/" + privateId));
        Assert.Equal("private", privateThread.Str("visibility"));
        Assert.Equal([publicId], privateThread.Body!["linkedConversationIds"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Assignment_and_status_show_in_the_header_and_through_the_API()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Hi there"))).Str("conversationId");
        await OpenAsync(page, id);

        await page.Locator("[data-test=assign-me]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=assignee]")).ToHaveTextAsync("sam");
        Assert.Equal("sam", (await admin.GetJson(brand.Path("conversations/" + id))).Str("assignee"));

        await Field(page, "assign-agent").FillAsync("alex");
        await page.Locator("[data-test=assign]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=assignee]")).ToHaveTextAsync("alex");

        await page.Locator("[data-test=status-pending]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=status]")).ToHaveTextAsync("pending");

        // e resolves, a assigns to me: keys on the view, outside any text box.
        await page.Locator("[data-test=header]").ClickAsync();
        await page.Keyboard.PressAsync("e");
        await Assertions.Expect(page.Locator("[data-test=header] [data-test=status]")).ToHaveTextAsync("resolved");
        await page.Keyboard.PressAsync("a");
        await Assertions.Expect(page.Locator("[data-test=assignee]")).ToHaveTextAsync("sam");

        var stored = await admin.GetJson(brand.Path("conversations/" + id));
        Assert.Equal("resolved", stored.Str("status"));
        Assert.Equal("sam", stored.Str("assignee"));
        await Assertions.Expect(Messages(page).Locator("[data-test=event][data-event=assignee-changed]")).ToHaveCountAsync(3);
        await Assertions.Expect(Messages(page).Locator("[data-test=event][data-event=status-changed]")).ToHaveTextAsync(
            [new System.Text.RegularExpressions.Regex("Status: open → pending"), new System.Text.RegularExpressions.Regex("Status: pending → resolved")]);
    }

    [Fact]
    public async Task An_agent_passes_the_conversation_to_a_bot_is_refused_while_it_holds_it_and_takes_it_back()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "What are your hours?"))).Str("conversationId");
        await OpenAsync(page, id);
        await Assertions.Expect(page.Locator("[data-test=controller]")).ToHaveTextAsync("human");

        await Field(page, "bot-id").FillAsync("faq-bot");
        await page.Locator("[data-test=pass-to-bot]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=controller]")).ToHaveTextAsync("bot:faq-bot");
        Assert.Equal("bot:faq-bot", (await admin.GetJson(brand.Path("conversations/" + id))).Str("controller"));

        await Field(page, "reply-text").FillAsync("Let me answer anyway.");
        await page.Locator("[data-test=send]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=error]")).ToContainTextAsync("take it first");
        await Assertions.Expect(Messages(page).Locator("[data-test=message][data-author-type=agent]")).ToHaveCountAsync(0);

        await page.Locator("[data-test=take-control]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=controller]")).ToHaveTextAsync("human");
        Assert.Equal("human", (await admin.GetJson(brand.Path("conversations/" + id))).Str("controller"));
        await Assertions.Expect(Messages(page).Locator("[data-test=event][data-event=control-changed]")).ToHaveCountAsync(2);

        // The draft was kept: sending now works.
        await page.Locator("[data-test=send]").ClickAsync();
        await Assertions.Expect(Messages(page).Locator("[data-test=message][data-author-type=agent]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Publishing_a_quote_without_public_display_consent_is_refused_with_the_reason()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var publicId = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("c-1", "ann", "Is it any good?", "public", "post-1"))).Str("conversationId");
        var praise = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("d-1", "ann", "Best purchase of my year!"));

        await OpenAsync(page, praise.Str("conversationId"));
        await Messages(page).Locator("[data-test=choose-publish]").ClickAsync();
        await Field(page, "publish-target").FillAsync(publicId);
        await page.Locator("[data-test=publish]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-test=error]")).ToContainTextAsync("public_display");
        var publicMessages = (await admin.GetJson(brand.Path($"conversations/{publicId}/messages"))).Body!["items"]!.AsArray();
        Assert.DoesNotContain(publicMessages, m => m!["quotedMessageId"] is not null);

        // With consent, the same press publishes.
        await admin.PutJson(brand.Path($"customers/{praise.Str("customerId")}/consents/public_display"),
            new { status = "granted", lawfulBasis = "consent", source = "message", evidence = "d-2: 'sure, quote me'", policyVersion = "2026-01" });
        await page.Locator("[data-test=publish]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=notice]")).ToContainTextAsync("Published");
        publicMessages = (await admin.GetJson(brand.Path($"conversations/{publicId}/messages"))).Body!["items"]!.AsArray();
        Assert.Single(publicMessages, m => m!["quotedMessageId"]?.GetValue<string>() == praise.Str("messageId"));
    }

    [Fact]
    public async Task A_message_that_looks_like_markup_is_shown_as_text_and_runs_nothing()
    {
        var (brand, page) = await SignedInAgentAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.DismissAsync();
        };
        using var admin = brand.Admin();
        const string markup = "<img src=x onerror=alert(1)>";
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", markup))).Str("conversationId");

        await OpenAsync(page, id);
        await Assertions.Expect(Messages(page).Locator("[data-test=message-text]")).ToHaveTextAsync(markup);
        Assert.Equal(0, await Messages(page).Locator("img").CountAsync());
        // Time for an error handler to have fired, had the markup become an element.
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(0, Volatile.Read(ref dialogs));
    }

    [Fact]
    public async Task A_message_that_arrives_while_the_view_is_open_appears_without_a_reload()
    {
        var (brand, page) = await SignedInAgentAsync();
        using var admin = brand.Admin();
        var id = (await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-1", "u-1", "Hello?"))).Str("conversationId");
        await OpenAsync(page, id);
        await Assertions.Expect(page.Locator("[data-test=live]")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("[data-test=message-count]")).ToHaveTextAsync("1");

        var url = page.Url;
        var next = await admin.PostJson(brand.InboundPath, BrandSetup.Inbound("m-2", "u-1", "Anyone there?"));
        Assert.Equal(id, next.Str("conversationId"));

        await Assertions.Expect(Messages(page).Locator("[data-test=message-text]")).ToHaveTextAsync(["Hello?", "Anyone there?"]);
        await Assertions.Expect(page.Locator("[data-test=message-count]")).ToHaveTextAsync("2");
        Assert.Equal(url, page.Url);
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

    private static ILocator Messages(IPage page) => page.Locator("[data-test=messages]");

    /// <summary>The input or text area of a field, whether the test id sits on it or around it.</summary>
    private static ILocator Field(IPage page, string name) =>
        page.Locator($"[data-test={name}]").Locator("xpath=descendant-or-self::*[self::input or self::textarea]").First;
}
