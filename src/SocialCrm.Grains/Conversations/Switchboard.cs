using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The switchboard: one controller at a time, a bot (<c>bot:{id}</c>) or the human inbox. Who may
/// speak in a conversation, and who may pass or take control. Pure: the grain keeps the controller.
/// </summary>
public static class Switchboard
{
    /// <summary>Why the actor may not speak while <paramref name="controller"/> holds the conversation, or null when they may.</summary>
    public static Refusal? SpeakRefusal(string controller, Actor actor) => actor.Type switch
    {
        AuthorType.Bot when controller != Controllers.Bot(actor.Id) =>
            NotInControl(controller == Controllers.Human ? "Humans control this conversation." : "Another bot controls this conversation."),
        AuthorType.Agent when controller != Controllers.Human =>
            NotInControl("A bot controls this conversation: take it first."),
        // A rule answers on the humans' side: it never talks over a bot in control.
        AuthorType.Automation when controller != Controllers.Human =>
            NotInControl("A bot controls this conversation: automation does not talk over it."),
        AuthorType.Agent or AuthorType.Bot or AuthorType.Automation => null,
        // Customers and the system never speak through the switchboard.
        _ => new Refusal(RefusalKind.Forbidden, "Only agents and bots reply."),
    };

    /// <summary>The controller after the change (the current one when nothing changes), or why the actor may not make it.</summary>
    public static Outcome<string> Next(string current, ControlChange change)
    {
        switch (change.Action)
        {
            case ControlAction.PassToBot when change.Actor.Type is AuthorType.Agent or AuthorType.Automation:
                if (!Ids.IsValid(change.BotId)) return Refusal.Invalid("botId", "pass-to-bot names the bot.");
                if (current != Controllers.Human) return NotInControl("A bot controls this conversation: take it first.");
                return Controllers.Bot(change.BotId!);
            case ControlAction.PassToHuman when change.Actor.Type == AuthorType.Bot:
                if (current != Controllers.Bot(change.Actor.Id)) return NotInControl("This bot does not control the conversation.");
                return Controllers.Human;
            // A brand's rule may bring humans back from whichever bot holds the conversation (an angry customer, say).
            case ControlAction.PassToHuman when change.Actor.Type == AuthorType.Automation:
                return Controllers.Human;
            case ControlAction.Take when change.Actor.Type == AuthorType.Agent:
                return Controllers.Human;
            default:
                return new Refusal(RefusalKind.Forbidden, "This caller may not take that action.");
        }
    }

    private static Refusal NotInControl(string detail) => new(RefusalKind.NotInControl, detail);
}
