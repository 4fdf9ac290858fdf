namespace SocialCrm.Abstractions;

/// <summary>What an API key may do inside its brand.</summary>
[GenerateSerializer]
public enum Role { Admin, Agent, Bot, Ingest, Compliance }

/// <summary>The social platform a channel lives on.</summary>
[GenerateSerializer]
public enum Platform { Messenger, Instagram, WhatsApp, X, WebChat }

/// <summary>Whether a thread is seen by the customer alone or by everyone.</summary>
[GenerateSerializer]
public enum Visibility { Private, Public }

/// <summary>The shape of a conversation: 1/1 private, 1/1/n public thread, or 1/n broadcast.</summary>
[GenerateSerializer]
public enum ConversationKind { Private, Public, Broadcast }

/// <summary>Where a conversation stands in the inbox.</summary>
[GenerateSerializer]
public enum ConversationStatus { Open, Pending, Snoozed, Resolved }

/// <summary>How urgently a conversation needs an agent; agents and rules set it, the inbox filters on it.</summary>
[GenerateSerializer]
public enum ConversationPriority { Low, Normal, High, Urgent }

/// <summary>Who wrote a message; <c>Automation</c> is a brand's rule (its id is <c>rule:{ruleId}</c>).</summary>
[GenerateSerializer]
public enum AuthorType { Customer, Agent, Bot, System, Automation }

/// <summary>Why personal data is used: answering, promoting, profiling, or showing private words publicly.</summary>
[GenerateSerializer]
public enum Purpose { Service, Marketing, Profiling, PublicDisplay }

/// <summary>The wire names of the enums, as the HTTP contract spells them.</summary>
public static class WireNames
{
    public static string Of(Platform p) => p switch
    {
        Platform.Messenger => "messenger",
        Platform.Instagram => "instagram",
        Platform.WhatsApp => "whatsapp",
        Platform.X => "x",
        Platform.WebChat => "webchat",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static bool TryParsePlatform(string? value, out Platform platform)
    {
        foreach (var candidate in Enum.GetValues<Platform>())
        {
            if (string.Equals(Of(candidate), value, StringComparison.Ordinal))
            {
                platform = candidate;
                return true;
            }
        }
        platform = default;
        return false;
    }

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => value switch
    {
        Platform p => Of(p),
        Purpose.PublicDisplay => "public_display",
        Channels.ChannelHealthState.TokenExpired => "token-expired",
        Channels.ChannelHealthState.RefreshFailed => "refresh-failed",
        _ => value.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses the lower-case wire name of an enum (not numbers, not other casings).</summary>
    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), value, StringComparison.Ordinal))
            {
                result = candidate;
                return true;
            }
        }
        result = default;
        return false;
    }
}
