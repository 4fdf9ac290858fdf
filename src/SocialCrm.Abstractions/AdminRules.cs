using SocialCrm.Abstractions.Bots;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Privacy;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions;

/// <summary>
/// What an administrator's input must be (keys, channels, webhooks, brand settings), checked the same
/// way by the API's handlers and by the console's settings screen before either calls a grain.
/// </summary>
public static class AdminRules
{
    public const int KeyNameMaxLength = 64;

    public const int MinWebhookSecretLength = 16;

    /// <summary>A new API key: a one-line name, a role, and a webhook only for a bot key.</summary>
    public static Role ApiKey(FieldErrors errors, string? name, string? role, string? webhookId)
    {
        errors.RequiredLine("name", name, KeyNameMaxLength);
        var parsed = errors.Enum<Role>("role", role);
        if (webhookId is not null)
        {
            errors.Id("webhookId", webhookId);
            if (parsed != Role.Bot) errors.Add("webhookId", "only a bot key can be bound to a webhook.");
        }
        return parsed;
    }

    /// <summary>A new channel's id, platform, account and display name (its secrets: <see cref="ChannelSecrets"/>).</summary>
    public static Platform Channel(FieldErrors errors, string? id, string? platform, string? externalAccountId, string? displayName)
    {
        errors.Id("id", id);
        var parsed = errors.Enum<Platform>("platform", platform);
        errors.RequiredLine("externalAccountId", externalAccountId, 256);
        errors.OptionalLine("displayName", displayName, 200);
        return parsed;
    }

    /// <summary>Secrets go into headers and signatures: one line each.</summary>
    public static void ChannelSecrets(FieldErrors errors, ChannelSecrets? s, string prefix)
    {
        errors.OptionalLine(prefix + "appSecret", s?.AppSecret, 1024);
        errors.OptionalLine(prefix + "verifyToken", s?.VerifyToken, 1024);
        errors.OptionalLine(prefix + "accessToken", s?.AccessToken, 4096);
        errors.OptionalLine(prefix + "consumerSecret", s?.ConsumerSecret, 1024);
        errors.OptionalLine(prefix + "refreshToken", s?.RefreshToken, 4096);
        errors.OptionalLine(prefix + "clientId", s?.ClientId, 256);
        errors.OptionalLine(prefix + "clientSecret", s?.ClientSecret, 1024);
    }

    /// <summary>A bot webhook: an http(s) URL without credentials, a long enough secret, known events.</summary>
    public static void Webhook(FieldErrors errors, string? id, string? url, string? secret, IReadOnlyList<string>? events)
    {
        errors.Id("id", id);
        url = errors.RequiredLine("url", url, 2048);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(parsed.UserInfo)))
            errors.Add("url", "must be an absolute http or https URL without credentials.");
        secret = errors.RequiredLine("secret", secret, 512);
        if (secret is { Length: < MinWebhookSecretLength }) errors.Add("secret", $"must be at least {MinWebhookSecretLength} characters.");
        events ??= [];
        if (events.Count == 0) errors.Add("events", "must name at least one event.");
        foreach (var unknown in events.Where(e => !EventTypes.All.Contains(e)))
            errors.Add("events", $"'{unknown}' is not an event; use: {string.Join(", ", EventTypes.All.Order())}.");
    }

    /// <summary>The brand's settings as given; null keywords mean the defaults. Returns the settings to store.</summary>
    public static BrandSettings Settings(FieldErrors errors, IReadOnlyList<string>? optOutKeywords, int? retentionDays, bool? profilingByLegitimateInterest)
    {
        var keywords = optOutKeywords ?? BrandSettings.DefaultOptOutKeywords;
        if (keywords.Count > 50 || keywords.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > 32))
            errors.Add("optOutKeywords", "must be at most 50 words of 1 to 32 characters.");
        else if (keywords.Any(k => !TextRules.IsSingleLine(k)))
            errors.Add("optOutKeywords", TextRules.SingleLineRefusal);
        if (retentionDays is < 1 or > 36_500) errors.Add("retentionDays", "must be between 1 and 36500 days.");
        return new BrandSettings(errors.Any ? [] : keywords.Select(k => k.Trim()).ToList(), retentionDays, profilingByLegitimateInterest ?? false);
    }
}
