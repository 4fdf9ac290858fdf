using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocialCrm.Persistence.Channels;
using SocialCrm.Persistence.Storage;

namespace SocialCrm.Host.Hosting;

/// <summary>Ready when the database answers.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ExecuteAsync("Ping", [], cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database did not answer.", ex);
        }
    }
}

/// <summary>Ready when this node's silo is an active member of the cluster.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {silo.CurrentStatus}."));
}

/// <summary>
/// Degraded while some channel cannot send as it should (its token expired, its refresh failed):
/// still ready, since the node serves every other channel, but the details name the channels, for
/// an operator to act before customers notice. Read from the projection the channel grains write.
/// </summary>
public sealed class ChannelHealthCheck(ChannelHealthStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unhealthy = await store.UnhealthyAsync(cancellationToken);
        if (unhealthy.Count == 0) return HealthCheckResult.Healthy();
        var channels = unhealthy.Select(c => new { c.BrandId, c.ChannelId, c.Platform, c.State, c.Since, c.Detail }).ToList();
        return HealthCheckResult.Degraded(
            $"{channels.Count}{(channels.Count == ChannelHealthStore.MaxListed ? " or more" : "")} channel(s) cannot send as they should.",
            data: new Dictionary<string, object> { ["channels"] = channels });
    }
}

/// <summary>
/// The answer of <c>/health/ready</c>: the bare status as text, as probes expect it; with
/// <c>Accept: application/json</c>, each check's status and description, and for the operator (the
/// bootstrap key) its data too: which brands' channels are unhealthy is not for anonymous callers.
/// </summary>
public static class HealthReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        context.Response.ContentType = "application/json";
        var forOperator = context.User.IsInRole(Auth.ApiKeyClaims.BootstrapRole);
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 || !forOperator ? null : e.Value.Data,
            }),
        }, Json));
    }
}
