using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocialCrm.Grains;
using SocialCrm.Host.Api;
using SocialCrm.Host.Auth;
using SocialCrm.Host.WebConsole;
using Orleans.Dashboard;
using SocialCrm.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Limits:MaxBodyBytes", 262_144L));

// Storage: one ADO.NET layer; the schema is applied before the silo starts.
builder.Services.AddSocialCrmGrains(builder.Configuration);
builder.Services.AddSingleton<BootstrapKey>();
builder.Services.AddSingleton<KnownApiKeys>();
builder.Services.AddSingleton<SignInThrottle>();
builder.Services.AddSingleton<EventStreamSlots>();
builder.Services.AddHostedService<StartupTasks>();
// The Orleans dashboard is the operator's opt-in: it samples every Orleans meter each second, about a
// tenth of a busy node's CPU, and shows the whole cluster's internals.
var dashboard = builder.Configuration.GetValue(Dashboard.EnabledKey, false);
builder.UseOrleans(silo =>
{
    silo.ConfigureSilo(builder.Configuration);
    if (dashboard) silo.AddDashboard();
});
builder.AddSocialCrmTelemetry();

// Security: every route needs a key unless it says otherwise.
builder.Services.AddAuthentication(ApiKeyClaims.Scheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null)
    .AddOperatorCookie()
    .AddConsoleCookie(builder.Configuration);
var authorization = builder.Services.AddAuthorizationBuilder();
authorization.AddSocialCrmPolicies();
authorization.AddConsolePolicy();
builder.AddSocialCrmConsole();
builder.Services.AddSingleton<IAuthorizationHandler, BrandRouteRequirement>();
builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
builder.Services.AddSocialCrmRateLimits(builder.Configuration);

builder.Services.AddProblemDetails();
builder.Services.AddSingleton<RefusalLog>();
// The handler logs two lines per failed key; ErrorHandling writes one, at most each second.
builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
    o.SerializerOptions.Converters.Add(new NulRefusingStrings());
});
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<SiloHealthCheck>("silo", tags: ["ready"])
    .AddCheck<ChannelHealthCheck>("channels", failureStatus: HealthStatus.Degraded, tags: ["ready"]);

var app = builder.Build();
app.UseSocialCrmErrors();
app.UseConsoleSecurityHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
// After authorization: only requests a key may make are counted, so buckets exist only for real
// keys and the channels of their own brand; before the endpoints, so a refused request changes nothing.
app.UseRateLimiter();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync })
    .AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapSocialCrmTelemetry();
if (dashboard) app.MapSocialCrmDashboard();

app.MapBrandsApi();
app.MapChannelsApi();
app.MapInboundApi();
app.MapPlatformWebhooksApi();
app.MapConversationsApi();
app.MapTeamsApi();
app.MapAutomationApi();
app.MapCustomersApi();
app.MapPrivacyApi();
app.MapWebhooksApi();
app.MapEventsApi();
app.MapInsightsApi();
app.MapSocialCrmConsole();

app.Run();

/// <summary>The host's entry point, public so the tests can start it in-process.</summary>
public partial class Program;
