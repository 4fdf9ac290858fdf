using System.Collections;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Operations;

/// <summary>
/// One inbound request is one trace: the ASP.NET Core span, the grain calls it makes, and a link from
/// the group-commit transaction that made it durable.
/// </summary>
public abstract class TracingScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    [Fact]
    public async Task An_inbound_request_and_its_grain_calls_share_one_trace_linked_from_its_commit()
    {
        var spans = new Spans();
        // The host samples nothing without an exporter; this node has one, in memory.
        await using var node = await new ServiceHost(await backend.NewStorageAsync(), configure: web => web.ConfigureServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans)))).StartedAsync();
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "Hello"))).Status);

        // Spans are exported as they end, the server's just after the response.
        Activity? request = null;
        for (var i = 0; i < 100 && (request = spans.Find(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == setup.InboundPath)) is null; i++)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.NotNull(request);
        Assert.Equal("Microsoft.AspNetCore", request.Source.Name);
        var trace = request.TraceId;

        var grainCalls = spans.Where(s => s.TraceId == trace && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();
        Assert.True(grainCalls.Count > 0, "no Orleans span in the request's trace; spans: " + Describe(spans.Where(s => s.TraceId == trace)));
        Assert.Contains(grainCalls, s => s.DisplayName.Contains("IIdentityGrain", StringComparison.Ordinal));
        Assert.Contains(grainCalls, s => s.DisplayName.Contains("IConversationGrain", StringComparison.Ordinal));

        // The commit's span ends just after it releases the acks, so it may reach the exporter after the request's.
        Activity? commit = null;
        for (var i = 0; i < 100 && (commit = spans.Find(s => s.Source.Name == "SocialCrm" && s.Links.Any(l => l.Context.TraceId == trace))) is null; i++)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(commit is not null, "no group-commit span links to the request; SocialCrm spans: " + Describe(spans.Where(s => s.Source.Name == "SocialCrm")));
        Assert.Equal("socialcrm.group_commit", commit.DisplayName);
        Assert.True(commit.GetTagItem("socialcrm.group_commit.batch.size") is int size && size >= 1);
        if (backend.Name == "postgres")
            Assert.Contains(spans.ToList(), s => s.Source.Name == "Npgsql" && s.ParentSpanId == commit.SpanId);
    }

    private static string Describe(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}"));

    /// <summary>The in-memory exporter's list, safe to add to from the exporting threads while the test reads it.</summary>
    private sealed class Spans : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public Activity? Find(Func<Activity, bool> match)
        {
            lock (_items) return _items.FirstOrDefault(match);
        }

        public int Count
        {
            get { lock (_items) return _items.Count; }
        }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_items) _items.Add(item);
        }

        public void Clear()
        {
            lock (_items) _items.Clear();
        }

        public bool Contains(Activity item)
        {
            lock (_items) return _items.Contains(item);
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (_items) _items.CopyTo(array, arrayIndex);
        }

        public bool Remove(Activity item)
        {
            lock (_items) return _items.Remove(item);
        }

        public IEnumerator<Activity> GetEnumerator()
        {
            lock (_items) return _items.ToList().GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class TracingOnSqlite(SqliteBackend backend) : TracingScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

public sealed class TracingOnPostgres(PostgresBackend backend) : TracingScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
