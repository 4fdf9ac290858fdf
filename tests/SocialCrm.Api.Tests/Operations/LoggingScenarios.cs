using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Operations;

/// <summary>
/// The never-log rule: no message text, key or secret reaches a log record, at any level down to
/// Debug; and records written while serving a request carry its trace id.
/// </summary>
public abstract class LoggingScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    [Fact]
    public async Task Message_text_keys_and_secrets_never_reach_the_logs_even_at_debug()
    {
        var capture = new LogCapture();
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        var webhookSecret = "whsec-" + Guid.NewGuid().ToString("N");
        receiver.Secret = webhookSecret;
        var storage = await backend.NewStorageAsync();
        storage["Webhooks:AllowPrivateNetworks"] = "true";
        await using var node = await new ServiceHost(storage, configure: web => web.ConfigureServices(services => services.AddLogging(logging =>
            logging.AddProvider(capture).AddFilter<LogCapture>(category: null, LogLevel.Debug)))).StartedAsync();

        var setup = await node.NewBrandWithChannelAsync();
        var agentKey = await node.NewKeyAsync(setup.BrandId, setup.AdminKey, "agent");
        using var admin = setup.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson(setup.Path("webhooks"),
            new { id = "hook", url = receiver.Url, secret = webhookSecret, events = new[] { "message.created" } })).Status);
        var inboundText = "inbound-words-" + Guid.NewGuid().ToString("N");
        var replyText = "reply-words-" + Guid.NewGuid().ToString("N");

        var inbound = await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", inboundText));
        Assert.Equal(HttpStatusCode.Accepted, inbound.Status);
        using var agent = node.Client(agentKey);
        var reply = await agent.PostJson(setup.Path($"conversations/{inbound.Str("conversationId")}/messages"), new { text = replyText, purpose = "service" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        for (var i = 0; i < 200 && receiver.Delivered.Count < 2; i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(receiver.Delivered.Count >= 2, "the webhook deliveries (signed with the secret) went out");

        var records = capture.Records.ToList();
        // The capture saw the service at Debug, or this test would prove nothing.
        Assert.Contains(records, r => r.Level == LogLevel.Debug);
        Assert.Contains(records, r => r.Category.StartsWith("Orleans", StringComparison.Ordinal));
        var forbidden = new[] { inboundText, replyText, agentKey, setup.AdminKey, ServiceHost.BootstrapSecret, webhookSecret, "app-secret-" + setup.ChannelId };
        foreach (var record in records)
            foreach (var text in record.AllText())
                foreach (var secret in forbidden)
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{record.Category} ({record.Level}) logged a secret or message text: {text}");

        // Request logs carry the request's trace.
        var requestLogs = records.Where(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && r.Scopes.Any(s => s.Key == "RequestPath")).ToList();
        Assert.NotEmpty(requestLogs);
        Assert.All(requestLogs, r => Assert.Contains(r.Scopes, s => s.Key == "TraceId" && s.Value.Trim('0').Length > 0));
        Assert.All(requestLogs, r => Assert.Contains(r.Scopes, s => s.Key == "SpanId"));
    }

    [Fact]
    public async Task Unreadable_requests_and_bad_keys_log_one_short_line_at_most_each_second()
    {
        var capture = new LogCapture();
        // As in production: Information and up, the service's own filters applying to every provider.
        await using var node = await new ServiceHost(await backend.NewStorageAsync(), configure: web => web
            .UseSetting("Logging:LogLevel:Default", "Information")
            .ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(capture)))).StartedAsync();
        var setup = await node.NewBrandWithChannelAsync();
        using var admin = setup.Admin();
        using var stranger = node.Client("sck_not-a-key-" + Guid.NewGuid().ToString("N"));
        capture.Records.Clear();

        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            (await admin.PostRaw(setup.InboundPath, "{\"text\": ", "application/json")).AssertProblem(HttpStatusCode.BadRequest, "validation");
            (await stranger.GetJson(setup.Path("conversations"))).AssertProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        }
        var seconds = (int)Math.Ceiling((DateTimeOffset.UtcNow - started).TotalSeconds);

        var records = capture.Records.ToList();
        Assert.DoesNotContain(records, r => r.Values.Any(v => v.Contains("   at ", StringComparison.Ordinal)));
        Assert.DoesNotContain(records, r => r.Category == "SocialCrm.Host.Auth.ApiKeyAuthenticationHandler");
        Assert.DoesNotContain(records, r => r.Message.Contains('\n'));
        var unreadable = records.Where(r => r.Message.Contains("could not be read", StringComparison.Ordinal)).ToList();
        var badKeys = records.Where(r => r.Message.Contains("API key", StringComparison.Ordinal)).ToList();
        Assert.InRange(unreadable.Count, 1, seconds + 1);
        Assert.InRange(badKeys.Count, 1, seconds + 1);
        Assert.True(records.Count <= 2 * (seconds + 1), string.Join(Environment.NewLine, records.Select(r => $"{r.Category}: {r.Message}")));
    }
}

public sealed class LoggingOnSqlite(SqliteBackend backend) : LoggingScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

public sealed class LoggingOnPostgres(PostgresBackend backend) : LoggingScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
