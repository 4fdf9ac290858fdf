using Microsoft.Extensions.Options;
using SocialCrm.Samples.EchoBot.Conversations;
using SocialCrm.Samples.EchoBot.Webhooks;

namespace SocialCrm.Samples.EchoBot;

/// <summary>
/// The sample bot's entry point: it receives the service's webhook deliveries and answers customers
/// through the public API with a bot key. A named class rather than top-level statements, so its
/// entry point does not clash with the service's global <c>Program</c> in the tests.
/// </summary>
public sealed class EchoBotApp
{
    private EchoBotApp()
    {
    }

    public static int Main(string[] args)
    {
        var app = Create(args);
        // A missing key or secret is the operator's to fix: name each, without a stack trace.
        var problems = ConfigurationProblems(app.Services);
        if (problems.Count > 0)
        {
            Console.Error.WriteLine("The echo bot cannot start:" + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p)));
            return 1;
        }
        app.Run();
        return 0;
    }

    /// <summary>The configured app, not yet started; its options are checked when it starts.</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5090");
        // Deliveries are small JSON documents; anything bigger is not from the service.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = WebhookReceiver.MaxBodyBytes);

        builder.Services.AddCustomerReplies(builder.Configuration);
        builder.Services.AddWebhookReceiver(builder.Configuration);

        var app = builder.Build();
        app.MapWebhook();
        return app;
    }

    /// <summary>What is missing or wrong in the configuration, one sentence each; empty when the bot can start.</summary>
    public static IReadOnlyList<string> ConfigurationProblems(IServiceProvider services)
    {
        var problems = new List<string>();
        Check<SocialCrmOptions>();
        Check<WebhookOptions>();
        return problems;

        void Check<T>() where T : class
        {
            try
            {
                _ = services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
        }
    }
}
