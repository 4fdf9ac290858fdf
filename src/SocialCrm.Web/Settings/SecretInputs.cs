using SocialCrm.Abstractions.Channels;

namespace SocialCrm.Web.Settings;

/// <summary>Secrets as typed into password fields: an empty field is no change.</summary>
public sealed class SecretInputs
{
    public string? AppSecret { get; set; }
    public string? VerifyToken { get; set; }
    public string? AccessToken { get; set; }
    public string? ConsumerSecret { get; set; }
    public string? RefreshToken { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The typed secrets, or null when none was typed.</summary>
    public ChannelSecrets? ToSecrets()
    {
        static string? Typed(string? v) => string.IsNullOrEmpty(v) ? null : v;
        var secrets = new ChannelSecrets(Typed(AppSecret), Typed(VerifyToken), Typed(AccessToken), Typed(ConsumerSecret), Typed(RefreshToken),
            Typed(ClientId), Typed(ClientSecret));
        return secrets == new ChannelSecrets(null, null, null, null) ? null : secrets;
    }
}
