using System.Security.Cryptography;
using System.Text;

namespace SocialCrm.Samples.EchoBot.Webhooks;

/// <summary>
/// Checks <c>X-SocialCrm-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c> against the
/// shared secret.
/// </summary>
public sealed class WebhookSignature(string secret)
{
    public const string Header = "X-SocialCrm-Signature";
    private const string Prefix = "sha256=";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    /// <summary>The header value the service would send for this body (used by tests and tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public bool Matches(ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hex = header.AsSpan(Prefix.Length);
        if (hex.Length != claimed.Length * 2
            || Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != claimed.Length)
            return false;

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, body, expected);
        // Constant time: how many leading bytes matched must not show in the response time.
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }
}
