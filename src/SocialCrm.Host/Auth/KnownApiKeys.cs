using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using SocialCrm.Grains.Brands;
using SocialCrm.Persistence.Brands;

namespace SocialCrm.Host.Auth;

/// <summary>
/// This node's answer to "could this key exist?", asked before a key's grain is woken: a key of the
/// wrong shape cannot, a hash this node has seen work can, and anything else is one indexed read,
/// whose "no" is remembered for a while so a repeated guess costs nothing at all.
/// </summary>
public sealed class KnownApiKeys(ApiKeyIndex index) : IDisposable
{
    // Hashes that were issued: a brand's few keys, never an attacker's guesses, so the set stays small.
    private readonly ConcurrentDictionary<string, byte> _issued = new();

    // Hashes that were not: bounded (about 4 MiB at most), and forgotten after a while. A key issued later elsewhere cannot
    // be among them, because nobody could present its random secret before it was issued.
    private readonly MemoryCache _notIssued = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private static readonly MemoryCacheEntryOptions NotIssuedEntry = new() { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };

    /// <summary>The shape <see cref="ApiKeySecrets.NewSecret"/> gives: the prefix and 43 base64url characters.</summary>
    public static bool IsWellFormed(string secret) =>
        secret.Length == ApiKeySecrets.Prefix.Length + 43
        && secret.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)
        && secret.AsSpan(ApiKeySecrets.Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Whether this node has seen the key's hash work (no lookup).</summary>
    public bool IsIssued(string hash) => _issued.ContainsKey(hash);

    public async ValueTask<bool> MayExistAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (_issued.ContainsKey(hash)) return true;
        if (_notIssued.TryGetValue(hash, out _)) return false;
        if (await index.ContainsAsync(hash, cancellationToken))
        {
            _issued.TryAdd(hash, 0);
            return true;
        }
        _notIssued.Set(hash, true, NotIssuedEntry);
        return false;
    }

    public void Dispose() => _notIssued.Dispose();
}
