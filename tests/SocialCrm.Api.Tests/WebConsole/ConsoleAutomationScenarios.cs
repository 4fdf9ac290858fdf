using Microsoft.Playwright;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>Automation rules in a real browser: edited and dry-run in settings, and their work shown in the conversation.</summary>
[Trait("Backend", "sqlite")]
public sealed class ConsoleAutomationScenarios(SqliteBackend backend, ConsoleBrowser browser)
    : IClassFixture<SqliteBackend>, IClassFixture<ConsoleBrowser>
{
    private ServiceHost Node => backend.Node;

    private const string RefundRule = """
        {"id":"refunds","name":"Refunds","order":1,"enabled":true,"trigger":{"type":"message-received"},
         "conditions":{"match":"all","items":[{"field":"text","operator":"contains-any","values":["refund"]}]},
         "actions":[{"type":"add-tags","tags":["refund"]},{"type":"reply","template":"PLACEHOLDER"}]}
        """;

    [Fact]
    public async Task An_admin_writes_and_tests_a_rule_and_the_conversation_shows_what_it_did()
    {
        var brand = await Node.NewBrandWithChannelAsync();
        using var admin = brand.Admin();
        var page = await browser.NewPageAsync(Node.Client().BaseAddress!);
        await ConsolePages.SignInAsync(page, brand.AdminKey);
        await page.GotoAsync("/app/settings");
        var section = page.Locator("[data-test=automation]");
        await Assertions.Expect(section.Locator("[data-test=rules-empty]")).ToBeVisibleAsync();

        // An unknown placeholder is named by its field, and nothing is saved.
        await Input(section, "rule-json").FillAsync(RefundRule.Replace("PLACEHOLDER", "Sorry {customer.password}"));
        await section.Locator("[data-test=save-rule]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=field-error]").First).ToContainTextAsync("actions[1].template");
        Assert.Empty((await admin.GetJson(brand.Path("automation/rules"))).Body!["items"]!.AsArray());

        // The dry run: it would fire on a refund request and not on a greeting.
        await Input(section, "rule-json").FillAsync(RefundRule.Replace("PLACEHOLDER", "Sorry {customer.first_name}, a refund is on its way."));
        await Input(section, "sample-text").FillAsync("I want a refund");
        await section.Locator("[data-test=test-rule]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=would-fire]")).ToHaveTextAsync("Would fire");
        await Assertions.Expect(section.Locator("[data-test=would-do]")).ToHaveCountAsync(2);
        await Input(section, "sample-text").FillAsync("hello there");
        await section.Locator("[data-test=test-rule]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=would-fire]")).ToHaveTextAsync("Would not fire");
        Assert.Empty((await admin.GetJson(brand.Path("automation/rules"))).Body!["items"]!.AsArray());

        await section.Locator("[data-test=save-rule]").ClickAsync();
        await Assertions.Expect(section.Locator("[data-test=rule-list] [data-test=rule-name]")).ToHaveTextAsync(["Refunds"]);

        // A customer asks; the conversation shows the automatic reply and the rule's line.
        var id = (await admin.PostJson(brand.InboundPath, new
        {
            externalMessageId = "m-1", externalUserId = "ann", userDisplayName = "Ann Lee", text = "I need a refund", timestamp = DateTimeOffset.UtcNow,
            thread = new { visibility = "private" },
        })).Str("conversationId");
        await page.GotoAsync("/app/conversations/" + id);
        await Assertions.Expect(page.Locator("[data-test=messages]")).ToContainTextAsync("Sorry Ann, a refund is on its way.");
        await Assertions.Expect(page.Locator("[data-test=messages]")).ToContainTextAsync("Rule 'Refunds' tagged refund, replied");
    }

    private static ILocator Input(ILocator scope, string name) =>
        scope.Locator($"[data-test={name}]").Locator("xpath=descendant-or-self::*[self::input or self::textarea]").First;
}
