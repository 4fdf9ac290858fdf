using System.Security.Cryptography;
using System.Text;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Channels.Webhooks;

namespace SocialCrm.Grains.Channels;

/// <summary>
/// A platform webhook's proof checked with the channel's secrets, beside them in the channel grain:
/// the body's signature, and the subscription checks. Each refusal comes with the reason to log, never a secret.
/// </summary>
public static class WebhookProof
{
    /// <summary>No channel of the route's platform: worded as the API words a missing channel.</summary>
    public static readonly Refusal NoChannel = new(RefusalKind.NotFound, "Channel was not found in this brand.");

    public static Outcome<Platform> Verify(ChannelSecrets? secrets, PlatformSignature signature, out string? reason)
    {
        var secret = signature.Platform == Platform.X ? secrets?.ConsumerSecret : secrets?.AppSecret;
        if (PlatformInbound.IsSigned(signature.Platform, secret, signature.Body, signature.Header))
        {
            reason = null;
            return signature.Platform;
        }
        reason = string.IsNullOrEmpty(secret) ? "no secret configured to check its signature"
            : string.IsNullOrEmpty(signature.Header) ? "no signature" : "bad signature";
        return new Refusal(RefusalKind.Unauthenticated, "The body's signature does not match this channel's secret.");
    }

    public static Outcome<ChallengeAnswer> Answer(ChannelSecrets? secrets, PlatformChallenge challenge, out string? reason) =>
        challenge.Platform == Platform.X ? AnswerX(secrets, challenge.CrcToken, out reason) : AnswerMeta(secrets, challenge, out reason);

    private static Outcome<ChallengeAnswer> AnswerX(ChannelSecrets? secrets, string? crcToken, out string? reason)
    {
        // Its answer is a valid body signature: only a token that can never be a body is answered.
        if (!string.IsNullOrEmpty(crcToken) && !PlatformInbound.IsXCrcToken(crcToken))
        {
            reason = "not an opaque token";
            return Refusal.Invalid("crc_token",
                $"must be 1 to {PlatformInbound.MaxHandshakeTokenLength} characters of A-Z a-z 0-9 _ - = + / . and not JSON.");
        }
        if (string.IsNullOrEmpty(crcToken) || string.IsNullOrEmpty(secrets?.ConsumerSecret))
        {
            reason = string.IsNullOrEmpty(crcToken) ? "no crc_token" : "no consumer secret configured";
            return new Refusal(RefusalKind.Forbidden, "The challenge cannot be answered for this channel.");
        }
        reason = null;
        return new ChallengeAnswer(Platform.X, PlatformInbound.XResponseToken(secrets.ConsumerSecret, crcToken));
    }

    private static Outcome<ChallengeAnswer> AnswerMeta(ChannelSecrets? secrets, PlatformChallenge challenge, out string? reason)
    {
        // Echoed verbatim: only the short opaque token Meta sends, never markup or a body of someone's choosing.
        if (!string.IsNullOrEmpty(challenge.Challenge) && !PlatformInbound.IsOpaqueToken(challenge.Challenge))
        {
            reason = "the challenge is not an opaque token";
            return Refusal.Invalid("hub.challenge",
                $"must be 1 to {PlatformInbound.MaxHandshakeTokenLength} characters of A-Z a-z 0-9 _ - = + / .");
        }
        var subscribing = challenge.Mode == "subscribe" && !string.IsNullOrEmpty(challenge.Challenge);
        if (!subscribing || !SameSecret(challenge.VerifyToken, secrets?.VerifyToken))
        {
            reason = subscribing ? "verify token does not match" : "not a subscribe request";
            return new Refusal(RefusalKind.Forbidden, "The verify token does not match this channel's.");
        }
        reason = null;
        return new ChallengeAnswer(challenge.Platform, challenge.Challenge!);
    }

    // Hashed first, so the comparison takes the same time whatever the lengths.
    private static bool SameSecret(string? given, string? expected) =>
        !string.IsNullOrEmpty(given) && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
