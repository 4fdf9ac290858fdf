using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Security;
using static SocialCrm.Grains.Tests.Grains.GrainSteps;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>
/// Taking a public complaint private, and going public: an agent moves a commenter into their one
/// private thread (reused, linked both ways), and a private message is quoted into a public thread
/// only while its author's public_display consent is granted and not expired. A refused quote
/// appends nothing. The clock is the scenarios' own, so a grant can be let run out.
/// </summary>
public abstract class TakePrivateAndPublishScenarios<TCluster>(TCluster cluster) where TCluster : ClockedGrainCluster
{
    private const string Thread = "post-1";

    private TestClock Clock => cluster.Clock;

    [Fact]
    public async Task Taking_a_comment_private_opens_the_commenters_private_thread_linked_both_ways()
    {
        var brand = await NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var comment = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", Thread, Clock.GetUtcNow(), "My order never came!"));
        var thread = brand.Conversation(comment.ConversationId);

        var privateId = (await thread.TakePrivate(new TakePrivateRequest(comment.MessageId, "We have sent you a message.", Agent))).Accepted();

        Assert.Equal(ConversationAddress.ForPrivate(brand.ChannelId, comment.CustomerId), privateId);
        var privateConversation = brand.Conversation(privateId);
        var privateView = await privateConversation.ViewAsync();
        Assert.Equal((Visibility.Private, ConversationKind.Private), (privateView.Visibility, privateView.Kind));
        Assert.Equal([comment.CustomerId], privateView.CustomerIds);
        Assert.Equal([comment.ConversationId], privateView.LinkedConversationIds);
        Assert.Equal([privateId], (await thread.ViewAsync()).LinkedConversationIds);

        var publicLog = await thread.AllMessagesAsync();
        Assert.Equal(["My order never came!", "taken-private", "We have sent you a message."], publicLog.Select(m => m.EventType ?? m.Text));
        Assert.Equal((privateId, comment.CustomerId), (publicLog[1].EventField("to"), publicLog[1].EventField("customerId")));
        Assert.Equal((AuthorType.Agent, Visibility.Public), (publicLog[2].AuthorType, publicLog[2].Visibility));
        var opened = Assert.Single(await privateConversation.AllMessagesAsync());
        Assert.Equal(("opened-from-public", comment.ConversationId), (opened.EventType, opened.EventField("from")));
    }

    [Fact]
    public async Task Taking_private_twice_reuses_the_private_thread_and_links_once()
    {
        var brand = await NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var first = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", Thread, Clock.GetUtcNow()));
        var second = await brand.Inbound.AcceptedAsync(Comment("c-2", "u-1", Thread, Clock.GetUtcNow()));
        var thread = brand.Conversation(first.ConversationId);

        var once = (await thread.TakePrivate(new TakePrivateRequest(first.MessageId, "Sent you a message.", Agent))).Accepted();
        var twice = (await thread.TakePrivate(new TakePrivateRequest(second.MessageId, "Sent you another.", Agent))).Accepted();
        var latest = (await thread.TakePrivate(new TakePrivateRequest(MessageId: null, null, Agent))).Accepted();

        Assert.Equal(once, twice);
        Assert.Equal(once, latest);
        var privateConversation = brand.Conversation(once);
        Assert.Equal([once], (await thread.ViewAsync()).LinkedConversationIds);
        Assert.Equal([first.ConversationId], (await privateConversation.ViewAsync()).LinkedConversationIds);
        Assert.Single(await thread.EventsAsync("taken-private"));
        Assert.Single(await privateConversation.EventsAsync("opened-from-public"));
        Assert.Equal(["text of c-1", "text of c-2", "taken-private", "Sent you a message.", "Sent you another."],
            (await thread.AllMessagesAsync()).Select(m => m.EventType ?? m.Text));
    }

    [Fact]
    public async Task Taking_private_a_customer_who_already_wrote_privately_reuses_their_thread()
    {
        var brand = await NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var direct = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", "Hello in private.", Clock.GetUtcNow()));
        var comment = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", Thread, Clock.GetUtcNow()));

        var privateId = (await brand.Conversation(comment.ConversationId).TakePrivate(new TakePrivateRequest(comment.MessageId, null, Agent))).Accepted();

        Assert.Equal(direct.ConversationId, privateId);
        var privateConversation = brand.Conversation(privateId);
        Assert.Equal(["Hello in private.", "opened-from-public"], (await privateConversation.AllMessagesAsync()).Select(m => m.EventType ?? m.Text));
        Assert.Equal([comment.ConversationId], (await privateConversation.ViewAsync()).LinkedConversationIds);
        Assert.Equal(1, (await privateConversation.ViewAsync()).MessageCount);
    }

    [Fact]
    public async Task Taking_private_from_two_threads_links_the_one_private_thread_to_both()
    {
        var brand = await NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var onFirst = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-1", "post-1", Clock.GetUtcNow()));
        var onSecond = await brand.Inbound.AcceptedAsync(Comment("c-2", "u-1", "post-2", Clock.GetUtcNow()));

        var fromFirst = (await brand.Conversation(onFirst.ConversationId).TakePrivate(new TakePrivateRequest(onFirst.MessageId, null, Agent))).Accepted();
        var fromSecond = (await brand.Conversation(onSecond.ConversationId).TakePrivate(new TakePrivateRequest(onSecond.MessageId, null, Agent))).Accepted();

        Assert.Equal(fromFirst, fromSecond);
        Assert.Equal([onFirst.ConversationId, onSecond.ConversationId], (await brand.Conversation(fromFirst).ViewAsync()).LinkedConversationIds);
        Assert.Equal([fromFirst], (await brand.Conversation(onSecond.ConversationId).ViewAsync()).LinkedConversationIds);
    }

    [Fact]
    public async Task While_a_bot_controls_the_public_thread_an_agent_neither_takes_it_private_nor_publishes_into_it()
    {
        var (brand, source, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var thread = brand.Conversation(post.ConversationId);
        var comment = await brand.Inbound.AcceptedAsync(Comment("c-1", "u-2", Thread, Clock.GetUtcNow()));
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted);
        (await thread.ChangeControl(new ControlChange(ControlAction.PassToBot, "bot-1", Agent))).Accepted();

        (await thread.TakePrivate(new TakePrivateRequest(comment.MessageId, "Sent you a message.", Agent))).RefusedAs(RefusalKind.NotInControl);
        (await source.PublishTo(new PublishRequest(message.MessageId, post.ConversationId, Agent))).RefusedAs(RefusalKind.NotInControl);

        (await brand.Conversation(ConversationAddress.ForPrivate(brand.ChannelId, comment.CustomerId)).Get()).RefusedAs(RefusalKind.NotFound);
        Assert.Empty((await thread.ViewAsync()).LinkedConversationIds);
        Assert.Equal(["Our new blender is here.", "text of c-1", "control-changed"], (await thread.AllMessagesAsync()).Select(m => m.EventType ?? m.Text));
    }

    [Fact]
    public async Task A_private_message_is_published_only_while_public_display_consent_is_granted()
    {
        var (brand, source, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var publish = new PublishRequest(message.MessageId, post.ConversationId, Agent);
        var target = brand.Conversation(post.ConversationId);

        (await source.PublishTo(publish)).RefusedAs(RefusalKind.ConsentRequired);
        await AssertPublicAsync(target, "Our new blender is here.");

        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted);
        var published = (await source.PublishTo(publish)).Accepted();
        Assert.Equal((post.ConversationId, 2L), (published.ConversationId, published.Seq));
        var quote = (await target.AllMessagesAsync())[^1];
        Assert.Equal((published.MessageId, "I love this blender!", message.MessageId, AuthorType.Agent, Visibility.Public),
            (quote.Id, quote.Text, quote.QuotedMessageId, quote.AuthorType, quote.Visibility));

        await RecordAsync(brand, message.CustomerId, ConsentStatus.Withdrawn);
        (await source.PublishTo(publish)).RefusedAs(RefusalKind.ConsentRequired);
        await AssertPublicAsync(target, "Our new blender is here.", "I love this blender!");
    }

    [Fact]
    public async Task An_expired_grant_counts_as_not_granted()
    {
        var (brand, source, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var publish = new PublishRequest(message.MessageId, post.ConversationId, Agent);
        var t = Clock.GetUtcNow();
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted, expiresAt: t + TimeSpan.FromHours(1));

        Clock.AdvanceTo(t + TimeSpan.FromMinutes(59));
        (await source.PublishTo(publish)).Accepted();
        Clock.AdvanceTo(t + TimeSpan.FromMinutes(61));
        (await source.PublishTo(publish)).RefusedAs(RefusalKind.ConsentRequired);

        Assert.False(await brand.Customer(message.CustomerId).Allows(Purpose.PublicDisplay));
        await AssertPublicAsync(brand.Conversation(post.ConversationId), "Our new blender is here.", "I love this blender!");
    }

    [Fact]
    public async Task A_grant_recorded_already_expired_never_allows_publishing()
    {
        var (brand, source, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted, expiresAt: Clock.GetUtcNow() - TimeSpan.FromMinutes(1));

        (await source.PublishTo(new PublishRequest(message.MessageId, post.ConversationId, Agent))).RefusedAs(RefusalKind.ConsentRequired);

        await AssertPublicAsync(brand.Conversation(post.ConversationId), "Our new blender is here.");
    }

    [Fact]
    public async Task Another_purpose_or_another_customers_grant_does_not_allow_publishing()
    {
        var (brand, source, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var other = await brand.Inbound.AcceptedAsync(Message("m-other", "u-2", sentAt: Clock.GetUtcNow()));
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted, purpose: Purpose.Marketing);
        await RecordAsync(brand, other.CustomerId, ConsentStatus.Granted);

        (await source.PublishTo(new PublishRequest(message.MessageId, post.ConversationId, Agent))).RefusedAs(RefusalKind.ConsentRequired);

        await AssertPublicAsync(brand.Conversation(post.ConversationId), "Our new blender is here.");
    }

    [Fact]
    public async Task A_quote_appended_straight_to_the_public_thread_is_held_to_the_same_consent()
    {
        var (brand, _, message, post) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var target = brand.Conversation(post.ConversationId);
        var quote = new Quote(ConversationAddress.ForPrivate(brand.ChannelId, message.CustomerId), message.MessageId, message.CustomerId,
            "I love this blender!", Agent);

        (await target.AppendQuote(quote)).RefusedAs(RefusalKind.ConsentRequired);
        await AssertPublicAsync(target, "Our new blender is here.");
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted);
        (await target.AppendQuote(quote)).Accepted();

        await AssertPublicAsync(target, "Our new blender is here.", "I love this blender!");
    }

    [Fact]
    public async Task Publishing_into_a_private_conversation_is_refused_even_with_consent()
    {
        var (brand, source, message, _) = await PrivateMessageAndPostAsync();
        BrandContext.Set(brand.BrandId);
        var otherPrivate = await brand.Inbound.AcceptedAsync(Message("m-other", "u-2", sentAt: Clock.GetUtcNow()));
        await RecordAsync(brand, message.CustomerId, ConsentStatus.Granted);

        (await source.PublishTo(new PublishRequest(message.MessageId, otherPrivate.ConversationId, Agent))).RefusedAs(RefusalKind.Visibility);

        Assert.Equal(["text of m-other"], (await brand.Conversation(otherPrivate.ConversationId).AllMessagesAsync()).Select(m => m.Text));
    }

    /// <summary>A new brand, its customer u-1's private message, and the brand's post (a public thread of its own).</summary>
    private async Task<(GrainBrand Brand, IConversationGrain Source, InboundAccepted Message, AppendResult Post)> PrivateMessageAndPostAsync()
    {
        var brand = await NewBrandAsync();
        BrandContext.Set(brand.BrandId);
        var message = await brand.Inbound.AcceptedAsync(Message("m-1", "u-1", "I love this blender!", Clock.GetUtcNow()));
        var postId = ConversationAddress.ForPublicThread(brand.ChannelId, Thread);
        var post = (await brand.Conversation(postId).CreatePost(
            new PostRequest(brand.ChannelId, Platform.Messenger, Thread, "Our new blender is here.", Purpose.Service, Agent))).Accepted();
        return (brand, brand.Conversation(message.ConversationId), message, post);
    }

    /// <summary>A new brand with a Messenger channel; the caller sets it in its request context.</summary>
    private Task<GrainBrand> NewBrandAsync() => cluster.Client.NewBrandAsync(Platform.Messenger);

    private static async Task RecordAsync(GrainBrand brand, string customerId, ConsentStatus status, DateTimeOffset? expiresAt = null,
        Purpose purpose = Purpose.PublicDisplay)
    {
        var recorded = (await brand.Customer(customerId).RecordConsent(
            new ConsentChange(purpose, status, "consent", "messenger", "The customer said so in a message.", "v1", expiresAt, Agent.Id))).Accepted();
        Assert.Equal((purpose, status), (recorded.Purpose, recorded.Status));
    }

    /// <summary>The public thread holds exactly these messages.</summary>
    private static async Task AssertPublicAsync(IConversationGrain target, params string[] texts)
    {
        Assert.Equal(texts, (await target.AllMessagesAsync()).Select(m => m.EventType ?? m.Text));
        Assert.Equal(texts.Length, (await target.ViewAsync()).MessageCount);
    }
}

[Trait("Backend", "sqlite")]
public sealed class TakePrivateAndPublishOnSqlite(SqliteClockedGrainCluster cluster)
    : TakePrivateAndPublishScenarios<SqliteClockedGrainCluster>(cluster), IClassFixture<SqliteClockedGrainCluster>;

[Trait("Backend", "postgres")]
public sealed class TakePrivateAndPublishOnPostgres(PostgresClockedGrainCluster cluster)
    : TakePrivateAndPublishScenarios<PostgresClockedGrainCluster>(cluster), IClassFixture<PostgresClockedGrainCluster>;

[Trait("Backend", "sqlserver")]
public sealed class TakePrivateAndPublishOnSqlServer(SqlServerClockedGrainCluster cluster)
    : TakePrivateAndPublishScenarios<SqlServerClockedGrainCluster>(cluster), IClassFixture<SqlServerClockedGrainCluster>;
