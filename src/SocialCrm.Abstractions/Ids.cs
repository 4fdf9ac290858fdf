using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SocialCrm.Abstractions;

/// <summary>Identifier rules shared by the API, the grains and the stores.</summary>
public static partial class Ids
{
    /// <summary>Caller-chosen ids: the contract's <c>[A-Za-z0-9_-]{1,64}</c>, to the end of the string (<c>\z</c>: <c>$</c> would also match before a final line break).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex IdPattern();

    public static bool IsValid(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>A new random id with a readable prefix, e.g. <c>cu_k3x…</c>.</summary>
    public static string New(string prefix) => prefix + "_" + Base32(RandomBytes(15));

    /// <summary>The prefix of message ids, which are time-ordered.</summary>
    public const string MessagePrefix = "msg";

    /// <summary>
    /// A new id that sorts by creation time: 48 bits of milliseconds, then 72 random bits, in a base32
    /// alphabet whose order is the byte order. Messages are numbered this way so that each new id lands
    /// at the end of the id index rather than on a random page of it, one page write less per message.
    /// </summary>
    public static string NewTimeOrdered(string prefix, DateTimeOffset now) =>
        TimeOrdered(prefix, now.ToUnixTimeMilliseconds(), RandomBytes(9));

    /// <summary>
    /// The smallest id <see cref="NewTimeOrdered"/> can make at <paramref name="ms"/>: every id made
    /// earlier sorts below it (ordinally, and in any collation that orders digits before lower-case letters).
    /// </summary>
    public static string TimeOrderedBound(string prefix, long ms) => TimeOrdered(prefix, ms, stackalloc byte[9]);

    private static string TimeOrdered(string prefix, long ms, ReadOnlySpan<byte> random)
    {
        Span<byte> bytes = stackalloc byte[15];
        for (var i = 5; i >= 0; i--, ms >>= 8) bytes[i] = (byte)ms;
        random.CopyTo(bytes[6..]);
        return prefix + "_" + Base32(bytes, SortableAlphabet);
    }

    // Ids are made for every message: drawing them from a per-thread pool refilled by the system's
    // generator keeps them unpredictable while sparing a call into the crypto library per id.
    [ThreadStatic] private static byte[]? _randomPool;
    [ThreadStatic] private static int _randomOffset;

    private static ReadOnlySpan<byte> RandomBytes(int count)
    {
        var pool = _randomPool;
        if (pool is null || _randomOffset + count > pool.Length)
        {
            pool = _randomPool ??= new byte[4096];
            RandomNumberGenerator.Fill(pool);
            _randomOffset = 0;
        }
        var bytes = pool.AsSpan(_randomOffset, count);
        _randomOffset += count;
        return bytes;
    }

    /// <summary>A stable id derived from its parts, so the same parts always name the same thing.</summary>
    public static string Derived(string prefix, params string[] parts)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return prefix + "_" + Base32(digest.AsSpan(0, 15));
    }

    /// <summary>The grain key of a brand-scoped grain: <c>{brandId}/{id}</c>.</summary>
    public static string Scoped(string brandId, string id) => brandId + "/" + id;

    /// <summary>The brand part of a brand-scoped grain key.</summary>
    public static string BrandOf(string grainKey)
    {
        var slash = grainKey.IndexOf('/');
        return slash < 0 ? grainKey : grainKey[..slash];
    }

    /// <summary>The part of a brand-scoped grain key after the brand.</summary>
    public static string LocalPart(string grainKey)
    {
        var slash = grainKey.IndexOf('/');
        return slash < 0 ? grainKey : grainKey[(slash + 1)..];
    }

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string SortableAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private static string Base32(ReadOnlySpan<byte> bytes, string alphabet = Alphabet)
    {
        var output = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return output.ToString();
    }
}
