using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>Who may make which switchboard move: pass-to-human is a bot's move; take and pass-to-bot are an agent's; a rule may pass either way.</summary>
public static class ControlRoles
{
    public static readonly Refusal NotYourMove = new(RefusalKind.Forbidden, "This key's role may not take that action.");

    public static bool MayMake(ControlAction action, AuthorType actor) =>
        actor == AuthorType.Automation ? action != ControlAction.Take : (action == ControlAction.PassToHuman) == (actor == AuthorType.Bot);
}
