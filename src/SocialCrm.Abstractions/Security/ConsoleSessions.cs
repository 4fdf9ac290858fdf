namespace SocialCrm.Abstractions.Security;

/// <summary>
/// One web console session, keyed by the random id its cookie carries. Signing out ends it for every
/// tab and every copy of the cookie, on every node; a session nobody ended is in effect.
/// </summary>
public interface IConsoleSessionGrain : IGrainWithStringKey
{
    Task End();

    [ReadOnly]
    Task<bool> IsEnded();
}
