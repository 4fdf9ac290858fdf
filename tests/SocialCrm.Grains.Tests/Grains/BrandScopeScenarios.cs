using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>Who is calling, as the request context says.</summary>
public enum Caller
{
    /// <summary>Another brand, which exists and calls with its own brand id.</summary>
    OtherBrand,

    /// <summary>No brand in the request context at all.</summary>
    NoBrand,
}

/// <summary>
/// The grains refuse a call whose request context names another brand, or none, whatever the API
/// does: the call throws and leaves the brand's data as it was.
/// </summary>
public abstract class BrandScopeScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Theory]
    [InlineData(Caller.OtherBrand)]
    [InlineData(Caller.NoBrand)]
    public async Task Another_brands_conversation_refuses_every_call_and_keeps_its_messages(Caller caller)
    {
        var (a, conversationId) = await BrandWithOneMessageAsync();
        var conversation = a.Conversation(conversationId);

        CallAs(await CallerBrandAsync(caller));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => conversation.Reply(AgentReply("Hi from elsewhere", "c-1")));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => conversation.AppendInbound(
            new(a.ChannelId, Platform.WebChat, "cu_intruder", "m-evil", "injected", DateTimeOffset.UtcNow, Visibility.Private, null, null)));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => conversation.Get());
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => conversation.Messages(0, 50));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => a.Inbound.Receive(Message("m-2", "u-1")));

        BrandContext.Set(a.BrandId);
        var stored = Assert.Single(await conversation.AllMessagesAsync());
        Assert.Equal(("m-1", "text of m-1"), (stored.ExternalMessageId, stored.Text));
        Assert.Equal(1, (await conversation.ViewAsync()).MessageCount);
    }

    [Theory]
    [InlineData(Caller.OtherBrand)]
    [InlineData(Caller.NoBrand)]
    public async Task Another_brands_customer_refuses_every_call_and_keeps_its_profile(Caller caller)
    {
        var (a, conversationId) = await BrandWithOneMessageAsync();
        BrandContext.Set(a.BrandId);
        var customerId = (await a.Conversation(conversationId).ViewAsync()).CustomerIds.Single();
        var customer = a.Customer(customerId);
        var before = await customer.Get();
        Assert.True(before.Succeeded, before.Refusal?.Detail);

        CallAs(await CallerBrandAsync(caller));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() =>
            customer.AddIdentity(new CustomerIdentity(Platform.X, "intruder", null), "Mallory"));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => customer.Get());

        BrandContext.Set(a.BrandId);
        var after = (await customer.Get()).Value!;
        Assert.Equal("User u-1", after.DisplayName);
        var identity = Assert.Single(after.Identities);
        Assert.Equal((Platform.WebChat, "u-1"), (identity.Platform, identity.ExternalUserId));
        Assert.Equal(before.Value!.ConversationIds, after.ConversationIds);
    }

    [Theory]
    [InlineData(Caller.OtherBrand)]
    [InlineData(Caller.NoBrand)]
    public async Task Another_brands_channels_refuse_every_call_and_none_is_created_or_changed(Caller caller)
    {
        var a = await cluster.Client.NewBrandAsync();
        var newChannelId = TestIds.New("ch");
        var registration = new ChannelRegistration(Platform.Messenger, "page-evil", "Hijacked", new ChannelSecrets("evil-secret", null, null, null));

        CallAs(await CallerBrandAsync(caller));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => a.Channel().Get());
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => a.Channel().Register(registration));
        await Assert.ThrowsAsync<BrandScopeViolationException>(() => a.Channel(newChannelId).Register(registration));

        BrandContext.Set(a.BrandId);
        var existing = await a.Channel().Get();
        Assert.NotNull(existing);
        Assert.Equal((Platform.WebChat, "Web chat", "acct-" + a.ChannelId), (existing.Platform, existing.DisplayName, existing.ExternalAccountId));
        Assert.Null(await a.Channel(newChannelId).Get());
        Assert.Equal([a.ChannelId], await a.Brand.ChannelIds());
    }

    /// <summary>A brand whose customer u-1 wrote one message (m-1); returns it and the conversation.</summary>
    private async Task<(GrainBrand Brand, string ConversationId)> BrandWithOneMessageAsync()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var accepted = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"));
        return (brand, accepted.ConversationId);
    }

    /// <summary>The brand the caller names: another, existing brand (the refusal is about scope, not an unknown caller), or none.</summary>
    private async Task<string?> CallerBrandAsync(Caller caller) =>
        caller == Caller.OtherBrand ? (await cluster.Client.NewBrandAsync()).BrandId : null;

    // Not async on purpose: the request context set here must stay set in the calling test.
    private static void CallAs(string? brandId)
    {
        if (brandId is null) RequestContext.Remove(BrandContext.Key);
        else BrandContext.Set(brandId);
    }
}

[Trait("Backend", "sqlite")]
public sealed class BrandScopeOnSqlite(SqliteGrainCluster cluster)
    : BrandScopeScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class BrandScopeOnPostgres(PostgresGrainCluster cluster)
    : BrandScopeScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class BrandScopeOnSqlServer(SqlServerGrainCluster cluster)
    : BrandScopeScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
