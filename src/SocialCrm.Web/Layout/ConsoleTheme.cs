using MudBlazor;

namespace SocialCrm.Web.Layout;

/// <summary>The console's look: system fonts (nothing fetched from a font CDN), a calm palette, mood colours that read at a glance.</summary>
public static class ConsoleTheme
{
    public const string Positive = "#2e7d32";
    public const string Neutral = "#9e9e9e";
    public const string Negative = "#c62828";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1e5aa8", Secondary = "#6a4c93", AppbarBackground = "#1e5aa8" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
