namespace SocialCrm.Abstractions.Consent;

/// <summary>Whether consent allows its purpose now: granted and not expired; an expired grant counts as not granted.</summary>
public static class ConsentInEffect
{
    public static bool At(ConsentStatus status, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        status == ConsentStatus.Granted && (expiresAt is null || expiresAt > now);
}
