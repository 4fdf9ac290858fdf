using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SocialCrm.Abstractions.Telemetry;
using SocialCrm.Host.Auth;

namespace SocialCrm.Host.Hosting;

/// <summary>
/// Traces, metrics and log correlation: OpenTelemetry over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set, <c>/metrics</c> in Prometheus text always, and trace and span ids on every log record.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' own activity sources: system calls (membership, reminders) and grain calls.</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static void AddSocialCrmTelemetry(this WebApplicationBuilder builder)
    {
        // Log records carry the current trace as a scope; the console shows it when scopes are on (appsettings.json).
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("socialcrm"))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddSource(OrleansSources)
                    .AddSource("Npgsql", SocialCrmMetrics.Name);
                if (otlp) tracing.AddOtlpExporter();
                // Nobody reads spans without an exporter: sample none, so grain calls and commits pay nothing for them.
                else tracing.SetSampler(new AlwaysOffSampler());
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.Orleans", SocialCrmMetrics.Name)
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
    }

    /// <summary>
    /// <c>/metrics</c> carries no tenant data (its tags are kinds and outcomes), so Prometheus may scrape
    /// it without a key; <c>Metrics:RequireKey=true</c> asks for the operator's (bootstrap) key instead.
    /// </summary>
    public static void MapSocialCrmTelemetry(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (app.Configuration.GetValue("Metrics:RequireKey", false)) endpoint.RequireAuthorization(Policies.Bootstrap);
        else endpoint.AllowAnonymous();
    }

    // Scrapes, probes and the dashboard's once-a-second polling would drown the traces that matter.
    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health") || path.StartsWithSegments(Dashboard.Path);
}
