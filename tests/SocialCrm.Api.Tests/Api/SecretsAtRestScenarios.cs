using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Storage;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Grains;
using SocialCrm.Grains.Channels;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Api;

/// <summary>
/// Whoever reads the database (a stolen backup, a leaked dump) finds no channel or webhook secret in
/// it, yet the service still checks the platforms' signatures and signs its own deliveries, after a
/// restart too: the secrets are sealed with a key ring kept beside the data, not in the rows.
/// </summary>
public abstract class SecretsAtRestScenarios<TBackend>(TBackend backend) where TBackend : Backend
{
    /// <summary>One channel's and one webhook's secrets, different in every test.</summary>
    private sealed record Secrets(string AppSecret, string VerifyToken, string AccessToken, string WebhookSecret)
    {
        public static Secrets New()
        {
            var tag = Guid.NewGuid().ToString("N")[..12];
            return new Secrets($"app-secret-{tag}", $"verify-token-{tag}", $"access-token-{tag}", $"webhook-secret-{tag}");
        }

        public string[] All => [AppSecret, VerifyToken, AccessToken, WebhookSecret];
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> storage) => new(storage)
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:InitialBackoffMs"] = "50",
        ["Webhooks:MaxBackoffMs"] = "200",
        ["Webhooks:SweepIntervalMs"] = "200",
    };

    private static async Task<(string BrandId, string ChannelId)> RegisterAsync(ServiceHost node, Secrets secrets, string webhookUrl)
    {
        var (brandId, adminKey) = await node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        using var admin = node.Client(adminKey);
        var channel = await admin.PostJson($"/v1/brands/{brandId}/channels", new
        {
            id = channelId, platform = "messenger", externalAccountId = "acct-1", displayName = "Main",
            secrets = new { appSecret = secrets.AppSecret, verifyToken = secrets.VerifyToken, accessToken = secrets.AccessToken },
        });
        Assert.Equal(HttpStatusCode.Created, channel.Status);
        var webhook = await admin.PostJson($"/v1/brands/{brandId}/webhooks",
            new { id = "bot-hook", url = webhookUrl, secret = secrets.WebhookSecret, events = new[] { "message.created" } });
        Assert.Equal(HttpStatusCode.Created, webhook.Status);
        return (brandId, channelId);
    }

    /// <summary>A Messenger message signed with the app secret, as Meta sends it; true when the service took it.</summary>
    private static async Task<bool> MetaDeliversAsync(ServiceHost node, string brandId, string channelId, string appSecret, string mid)
    {
        var body = $$$"""
            {"object":"page","entry":[{"id":"acct-1","time":1764061200000,"messaging":[
              {"sender":{"id":"psid-ann"},"recipient":{"id":"acct-1"},"timestamp":1764061200000,"message":{"mid":"{{{mid}}}","text":"Where is my order?"}}]}]}
            """;
        var reply = await SignedWebhooks.PostMetaAsync(node, "messenger", brandId, channelId, appSecret, body);
        return reply.Status == HttpStatusCode.OK && reply.Long("accepted") == 1;
    }

    private static async Task<bool> MetaSubscriptionCheckPassesAsync(ServiceHost node, string brandId, string channelId, string verifyToken)
    {
        using var anyone = node.Client();
        using var answer = await anyone.GetAsync(
            $"/webhooks/messenger/{brandId}/{channelId}?hub.mode=subscribe&hub.verify_token={verifyToken}&hub.challenge=42", TestContext.Current.CancellationToken);
        return answer.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 20)
    {
        for (var i = 0; i < seconds * 20 && !condition(); i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        return condition();
    }

    [Fact]
    public async Task Channel_and_webhook_secrets_are_nowhere_in_the_database_yet_signatures_are_still_checked_and_made()
    {
        var secrets = Secrets.New();
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        receiver.Secret = secrets.WebhookSecret;
        var storage = Settings(await backend.NewStorageAsync());
        await using var node = await backend.StartNodeAsync(storage);
        var (brandId, channelId) = await RegisterAsync(node, secrets, receiver.Url);

        Assert.True(await MetaSubscriptionCheckPassesAsync(node, brandId, channelId, secrets.VerifyToken));
        Assert.True(await MetaDeliversAsync(node, brandId, channelId, secrets.AppSecret, "m_1"));
        // The fake bot answers a delivery that is not signed with the webhook's secret with 401.
        Assert.True(await EventuallyAsync(() => !receiver.Delivered.IsEmpty), $"{receiver.Attempts} attempts, none delivered");

        Assert.Empty(await StoreAccess.WhereAnyStoredAsync(storage, secrets.All));
    }

    [Fact]
    public async Task Secrets_sealed_by_one_node_are_opened_by_the_next_node_on_the_same_storage()
    {
        var secrets = Secrets.New();
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        receiver.Secret = secrets.WebhookSecret;
        var storage = Settings(await backend.NewStorageAsync());
        string brandId, channelId;
        await using (var first = await backend.StartNodeAsync(storage))
            (brandId, channelId) = await RegisterAsync(first, secrets, receiver.Url);

        await using var second = await backend.StartNodeAsync(storage);
        Assert.True(await MetaSubscriptionCheckPassesAsync(second, brandId, channelId, secrets.VerifyToken));
        Assert.True(await MetaDeliversAsync(second, brandId, channelId, secrets.AppSecret, "m_after_restart"));
        Assert.True(await EventuallyAsync(() => !receiver.Delivered.IsEmpty), $"{receiver.Attempts} attempts, none delivered");
        Assert.Empty(await StoreAccess.WhereAnyStoredAsync(storage, secrets.All));
    }

    [Fact]
    public async Task A_channel_an_earlier_version_stored_in_clear_still_verifies_and_is_sealed_when_it_wakes()
    {
        var secrets = Secrets.New();
        var storage = Settings(await backend.NewStorageAsync());
        await using var node = await backend.StartNodeAsync(storage);
        var (brandId, _) = await node.NewBrandAsync();
        var channelId = TestIds.New("ch");
        // The state as versions before sealing wrote it, straight into the grain storage.
        var grainId = node.Grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, channelId)).GetGrainId();
        var grainStorage = node.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        await grainStorage.WriteStateAsync("channel", grainId, new GrainState<ChannelState>(new ChannelState
        {
            Exists = true, Platform = Platform.Messenger, ExternalAccountId = "acct-1", DisplayName = "Main", CreatedAt = DateTimeOffset.UtcNow,
            ClearSecrets = new ChannelSecrets(secrets.AppSecret, secrets.VerifyToken, secrets.AccessToken, null),
        }));
        Assert.NotEmpty(await StoreAccess.WhereAnyStoredAsync(storage, secrets.AppSecret));

        Assert.True(await MetaSubscriptionCheckPassesAsync(node, brandId, channelId, secrets.VerifyToken));
        Assert.True(await MetaDeliversAsync(node, brandId, channelId, secrets.AppSecret, "m_1"));
        var stored = new GrainState<ChannelState>();
        await grainStorage.ReadStateAsync("channel", grainId, stored);
        Assert.Null(stored.State!.ClearSecrets);
        Assert.NotNull(stored.State.SealedSecrets);
        Assert.DoesNotContain(secrets.AppSecret, System.Text.Encoding.UTF8.GetString(stored.State.SealedSecrets));
    }

    [Fact]
    public async Task A_webhook_secret_an_earlier_version_stored_in_clear_is_sealed_at_the_next_start_and_still_signs()
    {
        var secrets = Secrets.New();
        await using var receiver = await FakeWebChatEndpoint.StartAsync();
        receiver.Secret = secrets.WebhookSecret;
        var storage = Settings(await backend.NewStorageAsync());
        BrandSetup setup;
        await using (var first = await backend.StartNodeAsync(storage))
            setup = await first.NewBrandWithChannelAsync();
        // The row as versions before sealing wrote it.
        await StoreAccess.ExecuteAsync(storage,
            "INSERT INTO webhooks (brand_id, id, url, secret, events, created_at_ms) VALUES (@brand, 'bot-hook', @url, @secret, 'message.created', 0)",
            ("brand", setup.BrandId), ("url", receiver.Url), ("secret", secrets.WebhookSecret));

        await using var second = await backend.StartNodeAsync(storage);
        Assert.Empty(await StoreAccess.QueryAsync(storage, "SELECT id FROM webhooks WHERE secret = @secret", ("secret", secrets.WebhookSecret)));
        using var admin = second.Client(setup.AdminKey);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJson(setup.InboundPath, BrandSetup.Inbound("m-1", "ann", "hello"))).Status);
        Assert.True(await EventuallyAsync(() => !receiver.Delivered.IsEmpty), $"{receiver.Attempts} attempts, none delivered");
    }
}

[Trait("Backend", "sqlite")]
public sealed class SecretsAtRestOnSqlite(SqliteBackend backend) : SecretsAtRestScenarios<SqliteBackend>(backend), IClassFixture<SqliteBackend>;

[Trait("Backend", "postgres")]
public sealed class SecretsAtRestOnPostgres(PostgresBackend backend) : SecretsAtRestScenarios<PostgresBackend>(backend), IClassFixture<PostgresBackend>;
