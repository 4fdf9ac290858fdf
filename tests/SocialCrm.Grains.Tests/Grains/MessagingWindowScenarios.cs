using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// The platforms' reply windows, on a clock the scenarios move (no waiting): Messenger, Instagram and
/// WhatsApp take free-form replies for 24 hours after the customer's last message, Messenger's
/// human-agent tag stretches that to 7 days for human agents (never bots), X and web chat have no
/// window, and public threads none either. A refused reply stores nothing.
/// </summary>
public abstract class MessagingWindowScenarios<TCluster>(TCluster cluster) where TCluster : ClockedGrainCluster
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private TestClock Clock => cluster.Clock;

    [Theory]
    [InlineData(Platform.Messenger)]
    [InlineData(Platform.Instagram)]
    [InlineData(Platform.WhatsApp)]
    public async Task A_reply_is_accepted_until_24_hours_after_the_customer_wrote_and_refused_after(Platform platform)
    {
        var (brand, conversation, t) = await CustomerWroteAsync(platform);
        BrandContext.Set(brand.BrandId);

        Clock.AdvanceTo(t + Day - Minute);
        var inTime = (await conversation.Reply(AgentReply("Still here to help.", null))).Accepted();
        Clock.AdvanceTo(t + Day + Minute);
        var refusal = (await conversation.Reply(AgentReply("Too late.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);

        Assert.Equal(2, inTime.Seq);
        Assert.Contains("24 hours", refusal.Detail);
        await AssertStoredAsync(conversation, "text of m-1", "Still here to help.");
        Assert.Equal(Ms(t) + Day, (await conversation.ViewAsync()).WindowClosesAt);
    }

    [Fact]
    public async Task On_Messenger_the_human_agent_tag_lets_an_agent_reply_for_7_days()
    {
        var (brand, conversation, t) = await CustomerWroteAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);

        Clock.AdvanceTo(t + Day + Minute);
        (await conversation.Reply(AgentReply("Untagged, late.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);
        (await conversation.Reply(AgentReply("Tagged, day two.", null, humanAgentTag: true))).Accepted();
        Clock.AdvanceTo(t + 7 * Day - Minute);
        (await conversation.Reply(AgentReply("Tagged, day seven.", null, humanAgentTag: true))).Accepted();
        Clock.AdvanceTo(t + 7 * Day + Minute);
        var refusal = (await conversation.Reply(AgentReply("Tagged, day eight.", null, humanAgentTag: true))).RefusedAs(RefusalKind.MessagingWindowClosed);

        Assert.Contains("7 days", refusal.Detail);
        await AssertStoredAsync(conversation, "text of m-1", "Tagged, day two.", "Tagged, day seven.");
    }

    [Fact]
    public async Task A_bot_may_never_use_the_human_agent_tag_and_is_held_to_24_hours()
    {
        var (brand, conversation, t) = await CustomerWroteAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();

        Clock.AdvanceTo(t + TimeSpan.FromHours(1));
        var tagged = (await conversation.Reply(BotReply("bot-1", "Tagged in the window.", humanAgentTag: true))).RefusedAs(RefusalKind.Validation);
        (await conversation.Reply(BotReply("bot-1", "Hello from the bot."))).Accepted();
        Clock.AdvanceTo(t + Day + Minute);
        (await conversation.Reply(BotReply("bot-1", "Late."))).RefusedAs(RefusalKind.MessagingWindowClosed);
        (await conversation.Reply(BotReply("bot-1", "Late, tagged.", humanAgentTag: true))).RefusedAs(RefusalKind.Validation);

        Assert.Equal("humanAgentTag", tagged.Field);
        await AssertStoredAsync(conversation, "text of m-1", "Hello from the bot.");
    }

    [Fact]
    public async Task WhatsApp_has_no_human_agent_tag()
    {
        var (brand, conversation, t) = await CustomerWroteAsync(Platform.WhatsApp);
        BrandContext.Set(brand.BrandId);

        Clock.AdvanceTo(t + TimeSpan.FromHours(1));
        (await conversation.Reply(AgentReply("Tagged.", null, humanAgentTag: true))).RefusedAs(RefusalKind.Validation);
        Clock.AdvanceTo(t + Day + Minute);
        (await conversation.Reply(AgentReply("Tagged, late.", null, humanAgentTag: true))).RefusedAs(RefusalKind.Validation);

        await AssertStoredAsync(conversation, "text of m-1");
    }

    [Theory]
    [InlineData(Platform.X)]
    [InlineData(Platform.WebChat)]
    public async Task Without_a_platform_window_agents_and_bots_reply_a_month_later(Platform platform)
    {
        var (brand, conversation, t) = await CustomerWroteAsync(platform);
        BrandContext.Set(brand.BrandId);

        Clock.AdvanceTo(t + 30 * Day);
        (await conversation.Reply(AgentReply("A month on, agent.", null))).Accepted();
        (await conversation.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();
        (await conversation.Reply(BotReply("bot-1", "A month on, bot."))).Accepted();

        await AssertStoredAsync(conversation, "text of m-1", "A month on, agent.", "A month on, bot.");
        Assert.Null((await conversation.ViewAsync()).WindowClosesAt);
    }

    [Fact]
    public async Task The_window_counts_from_the_customers_latest_message_not_the_agents()
    {
        var (brand, conversation, t) = await CustomerWroteAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);

        Clock.AdvanceTo(t + TimeSpan.FromHours(1));
        (await conversation.Reply(AgentReply("Looking into it.", null))).Accepted();
        Clock.AdvanceTo(t + TimeSpan.FromHours(20));
        var later = Clock.GetUtcNow();
        await brand.Inbound.AcceptedAsync(Message("m-2", "u-1", sentAt: later));
        Clock.AdvanceTo(later + Day - Minute);
        (await conversation.Reply(AgentReply("Within a day of the second.", null))).Accepted();
        Clock.AdvanceTo(later + Day + Minute);
        (await conversation.Reply(AgentReply("Too late.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);

        await AssertStoredAsync(conversation, "text of m-1", "Looking into it.", "text of m-2", "Within a day of the second.");
        Assert.Equal(Ms(later) + Day, (await conversation.ViewAsync()).WindowClosesAt);
    }

    [Fact]
    public async Task A_delayed_webhook_counts_from_the_platforms_time_of_the_message()
    {
        var brand = await NewBrandAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        var arrival = Clock.GetUtcNow();
        var written = arrival - TimeSpan.FromHours(23);
        var conversation = brand.Conversation((await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", sentAt: written))).ConversationId);

        Clock.AdvanceTo(written + Day - Minute);
        (await conversation.Reply(AgentReply("Just in time.", null))).Accepted();
        Clock.AdvanceTo(written + Day + Minute);
        (await conversation.Reply(AgentReply("Too late.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);

        await AssertStoredAsync(conversation, "text of m-1", "Just in time.");
    }

    [Fact]
    public async Task A_platform_time_in_the_future_counts_as_the_time_it_arrived()
    {
        var brand = await NewBrandAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        var arrival = Clock.GetUtcNow();
        var conversation = brand.Conversation(
            (await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", sentAt: arrival + TimeSpan.FromHours(2)))).ConversationId);

        var closesAt = (await conversation.ViewAsync()).WindowClosesAt;
        Clock.AdvanceTo(arrival + Day + Minute);
        (await conversation.Reply(AgentReply("Counted from arrival.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);

        Assert.NotNull(closesAt);
        Assert.InRange(closesAt.Value, Ms(arrival) + Day, arrival + Day + TimeSpan.FromSeconds(30));
        await AssertStoredAsync(conversation, "text of m-1");
    }

    /// <summary>
    /// Platforms deliver webhooks out of order: an older message arriving after a newer one must not
    /// move the window back to its time. Fails while ConversationGrain.AppendAsync takes the arriving
    /// message's time as the customer's last, rather than the later of the two.
    /// </summary>
    [Fact]
    public async Task An_older_message_delivered_late_does_not_shorten_the_window()
    {
        var (brand, conversation, t) = await CustomerWroteAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        await brand.Inbound.AcceptedAsync(Message("m-0", "u-1", sentAt: t - TimeSpan.FromHours(10)));

        Clock.AdvanceTo(t + TimeSpan.FromHours(20));
        var reply = await conversation.Reply(AgentReply("Twenty hours after the latest message.", null));

        Assert.Equal(Ms(t) + Day, (await conversation.ViewAsync()).WindowClosesAt);
        reply.Accepted();
    }

    [Fact]
    public async Task A_public_thread_has_no_window()
    {
        var brand = await NewBrandAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        var t = Clock.GetUtcNow();
        var thread = brand.Conversation((await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", "post-1", t))).ConversationId);

        Clock.AdvanceTo(t + 30 * Day);
        (await thread.Reply(AgentReply("Answered in public, a month on.", null))).Accepted();

        await AssertStoredAsync(thread, "text of c-1", "Answered in public, a month on.");
        Assert.Null((await thread.ViewAsync()).WindowClosesAt);
    }

    [Fact]
    public async Task A_comment_taken_private_opens_the_private_threads_window_from_the_comments_time()
    {
        var brand = await NewBrandAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        var t = Clock.GetUtcNow();
        var comment = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", "post-1", t));
        var thread = brand.Conversation(comment.ConversationId);

        Clock.AdvanceTo(t + TimeSpan.FromHours(2));
        var privateConversation = brand.Conversation(
            (await thread.TakePrivate(new TakePrivateRequest(comment.MessageId, PublicReply: null, Agent))).Accepted());
        Clock.AdvanceTo(t + Day - Minute);
        (await privateConversation.Reply(AgentReply("Sent privately in time.", null))).Accepted();
        Clock.AdvanceTo(t + Day + Minute);
        (await privateConversation.Reply(AgentReply("Too late.", null))).RefusedAs(RefusalKind.MessagingWindowClosed);

        await AssertStoredAsync(privateConversation, "Sent privately in time.");
        Assert.Equal(Ms(t) + Day, (await privateConversation.ViewAsync()).WindowClosesAt);
    }

    /// <summary>
    /// The customer comments again after the private thread's window closed; taking the new comment
    /// private must let the agent answer it privately. Fails while ConversationGrain.OpenPrivate returns
    /// early for a thread already linked, before it moves the window to the newer comment's time.
    /// </summary>
    [Fact]
    public async Task Taking_a_newer_comment_private_reopens_the_window_of_the_linked_private_thread()
    {
        var brand = await NewBrandAsync(Platform.Messenger);
        BrandContext.Set(brand.BrandId);
        var t = Clock.GetUtcNow();
        var first = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", "post-1", t));
        var thread = brand.Conversation(first.ConversationId);
        var privateId = (await thread.TakePrivate(new TakePrivateRequest(first.MessageId, null, Agent))).Accepted();
        var privateConversation = brand.Conversation(privateId);

        Clock.AdvanceTo(t + 2 * Day);
        var again = Clock.GetUtcNow();
        var second = await brand.Inbound.AcceptedAsync(Comment("c-2", "u-1", "post-1", again));
        Assert.Equal(privateId, (await thread.TakePrivate(new TakePrivateRequest(second.MessageId, null, Agent))).Accepted());
        Clock.AdvanceTo(again + TimeSpan.FromHours(1));
        var reply = await privateConversation.Reply(AgentReply("About your second comment.", null));

        Assert.Equal(Ms(again) + Day, (await privateConversation.ViewAsync()).WindowClosesAt);
        reply.Accepted();
    }

    /// <summary>A new brand on the platform and a private conversation its customer u-1 opened (m-1) at the clock's now.</summary>
    private async Task<(GrainBrand Brand, IConversationGrain Conversation, DateTimeOffset WroteAt)> CustomerWroteAsync(Platform platform)
    {
        var brand = await NewBrandAsync(platform);
        BrandContext.Set(brand.BrandId);
        var t = Clock.GetUtcNow();
        var accepted = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", sentAt: t));
        return (brand, brand.Conversation(accepted.ConversationId), t);
    }

    /// <summary>A new brand on the platform; the caller sets it in its request context.</summary>
    private Task<GrainBrand> NewBrandAsync(Platform platform) => cluster.Client.NewBrandAsync(platform);

    /// <summary>Exactly these messages (events aside) are stored, in order, and counted.</summary>
    private static async Task AssertStoredAsync(IConversationGrain conversation, params string[] texts)
    {
        var messages = (await conversation.AllMessagesAsync()).Where(m => m.EventType is null).ToList();
        Assert.Equal(texts, messages.Select(m => m.Text));
        Assert.Equal(texts.Length, (await conversation.ViewAsync()).MessageCount);
    }

    // The log keeps milliseconds.
    private static DateTimeOffset Ms(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}

[Trait("Backend", "sqlite")]
public sealed class MessagingWindowOnSqlite(SqliteClockedGrainCluster cluster)
    : MessagingWindowScenarios<SqliteClockedGrainCluster>(cluster), IClassFixture<SqliteClockedGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class MessagingWindowOnPostgres(PostgresClockedGrainCluster cluster)
    : MessagingWindowScenarios<PostgresClockedGrainCluster>(cluster), IClassFixture<PostgresClockedGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class MessagingWindowOnSqlServer(SqlServerClockedGrainCluster cluster)
    : MessagingWindowScenarios<SqlServerClockedGrainCluster>(cluster), IClassFixture<SqlServerClockedGrainCluster>;
