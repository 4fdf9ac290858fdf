using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// The switchboard: one controller at a time, the human inbox or one bot. Only the controller may
/// reply (others are refused with not-in-control and nothing is stored), and every change of control
/// is a control-changed event in the conversation's log.
/// </summary>
public abstract class SwitchboardScenarios<TCluster>(TCluster cluster) where TCluster : GrainCluster
{
    [Fact]
    public async Task While_humans_control_a_bot_is_refused_and_an_agent_may_reply()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        (await conversation.Reply(BotReply("bot-1", "Hi, I am a bot."))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(AgentReply("Hi, I am Ann.", null))).Accepted();

        Assert.Equal("human", (await conversation.ViewAsync()).Controller);
        await AssertStoredAsync(conversation, "text of m-1", "Hi, I am Ann.");
        Assert.Empty(await conversation.EventsAsync("control-changed"));
    }

    [Fact]
    public async Task After_pass_to_bot_only_that_bot_may_reply()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        Assert.Equal("bot:bot-1", (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted());
        (await conversation.Reply(BotReply("bot-1", "The bot answers."))).Accepted();
        (await conversation.Reply(BotReply("bot-2", "Another bot butts in."))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(AgentReply("An agent butts in.", null))).RefusedAs(RefusalKind.NotInControl);

        Assert.Equal("bot:bot-1", (await conversation.ViewAsync()).Controller);
        await AssertStoredAsync(conversation, "text of m-1", "The bot answers.");
        var passed = Assert.Single(await conversation.EventsAsync("control-changed"));
        Assert.Equal(("human", "bot:bot-1", "agent-1"), (passed.EventField("from"), passed.EventField("to"), passed.EventField("by")));
        Assert.Equal(AuthorType.System, passed.AuthorType);
    }

    [Fact]
    public async Task After_the_bot_passes_to_humans_the_bot_is_refused_and_agents_reply_again()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();

        Assert.Equal("human", (await conversation.ChangeControl(new ControlChange(ControlAction.PassToHuman, null, Bot("bot-1")))).Accepted());
        (await conversation.Reply(BotReply("bot-1", "Still me?"))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(AgentReply("An agent takes over.", null))).Accepted();

        await AssertStoredAsync(conversation, "text of m-1", "An agent takes over.");
        await AssertControlChangesAsync(conversation, ("human", "bot:bot-1", "agent-1"), ("bot:bot-1", "human", "bot-1"));
    }

    [Fact]
    public async Task An_agent_takes_control_from_a_bot_and_the_bot_is_refused()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();

        Assert.Equal("human", (await conversation.ChangeControl(new ControlChange(ControlAction.Take, null, Agent))).Accepted());
        (await conversation.Reply(BotReply("bot-1", "Me again."))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(AgentReply("Taken over.", null))).Accepted();

        await AssertStoredAsync(conversation, "text of m-1", "Taken over.");
        await AssertControlChangesAsync(conversation, ("human", "bot:bot-1", "agent-1"), ("bot:bot-1", "human", "agent-1"));
    }

    [Fact]
    public async Task Control_goes_back_and_forth_and_every_change_is_an_event_in_order()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();
        (await conversation.Reply(BotReply("bot-1", "Bot, first turn."))).Accepted();
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToHuman, null, Bot("bot-1")))).Accepted();
        (await conversation.Reply(AgentReply("Agent, between.", null))).Accepted();
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-2", Agent))).Accepted();
        (await conversation.Reply(BotReply("bot-1", "Bot one, no longer."))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(BotReply("bot-2", "Bot two."))).Accepted();

        var log = await conversation.AllMessagesAsync();
        Assert.Equal(OneTo(log.Count), log.Select(m => m.Seq));
        Assert.Equal(
            ["text of m-1", "control-changed", "Bot, first turn.", "control-changed", "Agent, between.", "control-changed", "Bot two."],
            log.Select(m => m.EventType ?? m.Text));
        await AssertControlChangesAsync(conversation,
            ("human", "bot:bot-1", "agent-1"), ("bot:bot-1", "human", "bot-1"), ("human", "bot:bot-2", "agent-1"));
        Assert.Equal("bot:bot-2", (await conversation.ViewAsync()).Controller);
        Assert.Equal(4, (await conversation.ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task Refused_or_empty_changes_leave_control_as_it_was_and_no_event()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);

        // Humans already control it: taking it changes nothing.
        Assert.Equal("human", (await conversation.ChangeControl(new ControlChange(ControlAction.Take, null, Agent))).Accepted());
        // A bot cannot hand a conversation to humans it does not control, nor pass it to a bot.
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToHuman, null, Bot("bot-1")))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-2", Bot("bot-1")))).RefusedAs(RefusalKind.Forbidden);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();
        // While bot-1 controls: no other bot hands it back, and an agent must take it rather than pass it on.
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToHuman, null, Bot("bot-2")))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-2", Agent))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.ChangeControl(new ControlChange(ControlAction.Take, null, Bot("bot-2")))).RefusedAs(RefusalKind.Forbidden);

        Assert.Equal("bot:bot-1", (await conversation.ViewAsync()).Controller);
        await AssertControlChangesAsync(conversation, ("human", "bot:bot-1", "agent-1"));
        (await conversation.Reply(BotReply("bot-1", "Still mine."))).Accepted();
    }

    [Fact]
    public async Task Control_is_kept_when_the_conversation_is_read_back_from_storage()
    {
        var (brand, conversation) = await ConversationAsync();
        BrandContext.Set(brand.BrandId);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();

        // Deactivate every idle grain: the conversation comes back from its stored state.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        (await conversation.Reply(AgentReply("Agent after reactivation.", null))).RefusedAs(RefusalKind.NotInControl);
        (await conversation.Reply(BotReply("bot-1", "Bot after reactivation."))).Accepted();

        await AssertStoredAsync(conversation, "text of m-1", "Bot after reactivation.");
    }

    /// <summary>A new brand and the private conversation its customer u-1 opened with m-1 (web chat: no window).</summary>
    private async Task<(GrainBrand Brand, IConversationGrain Conversation)> ConversationAsync()
    {
        var brand = await cluster.Client.NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        return (brand, brand.Conversation((await brand.Inbound.AcceptedAsync(Message("m-1", "u-1"))).ConversationId));
    }

    private static async Task AssertStoredAsync(IConversationGrain conversation, params string[] texts)
    {
        var messages = (await conversation.AllMessagesAsync()).Where(m => m.EventType is null).ToList();
        Assert.Equal(texts, messages.Select(m => m.Text));
        Assert.Equal(texts.Length, (await conversation.ViewAsync()).MessageCount);
    }

    private static async Task AssertControlChangesAsync(IConversationGrain conversation, params (string From, string To, string By)[] changes)
    {
        var events = await conversation.EventsAsync("control-changed");
        Assert.Equal(changes, events.Select(e => (e.EventField("from")!, e.EventField("to")!, e.EventField("by")!)));
    }
}

[Trait("Backend", "sqlite")]
public sealed class SwitchboardOnSqlite(SqliteGrainCluster cluster)
    : SwitchboardScenarios<SqliteGrainCluster>(cluster), IClassFixture<SqliteGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class SwitchboardOnPostgres(PostgresGrainCluster cluster)
    : SwitchboardScenarios<PostgresGrainCluster>(cluster), IClassFixture<PostgresGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class SwitchboardOnSqlServer(SqlServerGrainCluster cluster)
    : SwitchboardScenarios<SqlServerGrainCluster>(cluster), IClassFixture<SqlServerGrainCluster>;
