using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SocialCrm.Web.Live;
using SocialCrm.Web.Session;

namespace SocialCrm.Web;

public static class ConsoleServices
{
    /// <summary>The console's components, rendered on the server and kept live over SignalR.</summary>
    public static IServiceCollection AddSocialCrmConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationState>();
        services.AddScoped<ConsoleSession>();
        services.AddSingleton<ConsoleSessionCheck>();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);
        services.AddSingleton<BrandActivity>();
        return services;
    }
}
