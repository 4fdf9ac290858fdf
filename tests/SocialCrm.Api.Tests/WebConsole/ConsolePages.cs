using Microsoft.Playwright;

namespace SocialCrm.Api.Tests.WebConsole;

/// <summary>Steps a person takes in the console.</summary>
public static class ConsolePages
{
    /// <summary>Types the key into the sign-in form and submits it, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string key, bool expectSuccess = true)
    {
        await page.GotoAsync("/app/login");
        await page.FillAsync("[data-test=key]", key);
        await page.ClickAsync("[data-test=sign-in]");
        if (expectSuccess)
        {
            await page.WaitForURLAsync(url => !url.Contains("/app/login", StringComparison.Ordinal));
            // The circuit is up once the layout shows who is signed in.
            await Assertions.Expect(page.Locator("[data-test=who]")).ToBeVisibleAsync();
        }
        else
        {
            // The form comes back with its reason (a fresh /app/login has none).
            await Assertions.Expect(page.Locator("[data-test=sign-in-error]")).ToBeVisibleAsync();
            Assert.Contains("/app/login?failed=", page.Url);
        }
    }
}
