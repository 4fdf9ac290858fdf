using System.Security.Cryptography;
using System.Text;

namespace SocialCrm.Grains.Brands;

/// <summary>How API key secrets are made and hashed. Keys are 256 random bits, so one SHA-256 suffices.</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "sck_";

    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The lower-case hex SHA-256 of the secret: the key's grain id and all we store.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
