using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Grains.Conversations;

namespace SocialCrm.Grains.Tests.Grains;

/// <summary>The switchboard and the messaging window as pure rules: no cluster, no database.</summary>
public sealed class SwitchboardRuleTests
{
    private static readonly Actor Agent = new(AuthorType.Agent, "agent-1");
    private static readonly Actor Bot = new(AuthorType.Bot, "bot-1");
    private static readonly Actor OtherBot = new(AuthorType.Bot, "bot-2");

    [Fact]
    public void An_agent_speaks_while_humans_control_and_a_bot_does_not()
    {
        Assert.Null(Switchboard.SpeakRefusal(Controllers.Human, Agent));
        Assert.Equal(RefusalKind.NotInControl, Switchboard.SpeakRefusal(Controllers.Human, Bot)?.Kind);
    }

    [Fact]
    public void The_bot_in_control_speaks_and_agents_and_other_bots_do_not()
    {
        var controller = Controllers.Bot(Bot.Id);
        Assert.Null(Switchboard.SpeakRefusal(controller, Bot));
        Assert.Equal(RefusalKind.NotInControl, Switchboard.SpeakRefusal(controller, Agent)?.Kind);
        Assert.Equal("Another bot controls this conversation.", Switchboard.SpeakRefusal(controller, OtherBot)?.Detail);
    }

    [Theory]
    [InlineData(AuthorType.Customer)]
    [InlineData(AuthorType.System)]
    public void Customers_and_the_system_never_speak_through_the_switchboard(AuthorType type) =>
        Assert.Equal(RefusalKind.Forbidden, Switchboard.SpeakRefusal(Controllers.Human, new Actor(type, "x"))?.Kind);

    [Fact]
    public void An_agent_passes_to_a_bot_the_bot_passes_back_and_an_agent_takes_control()
    {
        var toBot = Switchboard.Next(Controllers.Human, new ControlChange(ControlAction.PassToBot, Bot.Id, Agent));
        Assert.Equal(Controllers.Bot(Bot.Id), toBot.Value);
        Assert.Equal(Controllers.Human, Switchboard.Next(toBot.Value!, new ControlChange(ControlAction.PassToHuman, null, Bot)).Value);
        Assert.Equal(Controllers.Human, Switchboard.Next(toBot.Value!, new ControlChange(ControlAction.Take, null, Agent)).Value);
    }

    [Fact]
    public void Passing_to_a_bot_while_a_bot_controls_or_without_naming_one_is_refused()
    {
        var held = Switchboard.Next(Controllers.Bot(Bot.Id), new ControlChange(ControlAction.PassToBot, OtherBot.Id, Agent));
        var unnamed = Switchboard.Next(Controllers.Human, new ControlChange(ControlAction.PassToBot, null, Agent));
        Assert.Equal(RefusalKind.NotInControl, held.Refusal?.Kind);
        Assert.Equal(RefusalKind.Validation, unnamed.Refusal?.Kind);
    }

    [Fact]
    public void A_bot_not_in_control_cannot_pass_and_a_bot_cannot_take()
    {
        var notHolder = Switchboard.Next(Controllers.Bot(Bot.Id), new ControlChange(ControlAction.PassToHuman, null, OtherBot));
        var botTakes = Switchboard.Next(Controllers.Human, new ControlChange(ControlAction.Take, null, Bot));
        Assert.Equal(RefusalKind.NotInControl, notHolder.Refusal?.Kind);
        Assert.Equal(RefusalKind.Forbidden, botTakes.Refusal?.Kind);
    }

    [Fact]
    public void A_reply_to_messenger_is_refused_after_24_hours_but_not_on_x_or_in_public()
    {
        var wrote = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var later = wrote.AddHours(25);
        Assert.NotNull(MessagingWindow.Check(Platform.Messenger, Visibility.Private, wrote, AuthorType.Agent, humanAgentTag: false, later));
        Assert.Null(MessagingWindow.Check(Platform.Messenger, Visibility.Private, wrote, AuthorType.Agent, humanAgentTag: false, wrote.AddHours(23)));
        Assert.Null(MessagingWindow.Check(Platform.X, Visibility.Private, wrote, AuthorType.Agent, humanAgentTag: false, later));
        Assert.Null(MessagingWindow.Check(Platform.Messenger, Visibility.Public, wrote, AuthorType.Agent, humanAgentTag: false, later));
    }
}
