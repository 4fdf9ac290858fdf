using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SocialCrm.Abstractions;
using SocialCrm.Abstractions.Conversations;

namespace SocialCrm.Channels.Webhooks;

/// <summary>
/// What the platforms' own webhooks carry: their signatures and handshakes, and their payloads
/// turned into inbound messages. Meta (Messenger, Instagram, WhatsApp) signs the raw body with
/// the app secret in <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>; X signs it with the consumer
/// secret in <c>X-Twitter-Webhooks-Signature: sha256=&lt;base64&gt;</c>.
/// </summary>
public static class PlatformInbound
{
    public const string MetaSignatureHeader = "X-Hub-Signature-256";
    public const string XSignatureHeader = "X-Twitter-Webhooks-Signature";
    private const string Sha256Prefix = "sha256=";

    /// <summary>Whether the header is the HMAC-SHA256 of the body under the channel's secret, compared in constant time.</summary>
    public static bool IsSigned(Platform platform, string? secret, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(secret) || header is null || !header.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var encoded = header[Sha256Prefix.Length..].Trim();
        byte[] claimed;
        try
        {
            claimed = platform == Platform.X ? Convert.FromBase64String(encoded) : Convert.FromHexString(encoded);
        }
        catch (FormatException)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    /// <summary>The longest handshake token answered: X's and Meta's are a few dozen characters.</summary>
    public const int MaxHandshakeTokenLength = 128;

    /// <summary>
    /// Whether a handshake token (X's <c>crc_token</c>, Meta's <c>hub.challenge</c>) is the short opaque
    /// string the platforms send: 1 to 128 characters of <c>[A-Za-z0-9_\-=+/.]</c>.
    /// </summary>
    public static bool IsOpaqueToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxHandshakeTokenLength) return false;
        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '=' or '+' or '/' or '.')) return false;
        }
        return true;
    }

    /// <summary>
    /// Whether X's challenge may be answered for this token. The answer, HMAC-SHA256 of the token under
    /// the consumer secret, is byte for byte the signature X puts on a webhook body, so the challenge
    /// must never answer a token that is also a body the webhook would act on. An opaque token
    /// (<see cref="IsOpaqueToken"/>) has no <c>{</c>, <c>[</c>, quote or space, so it is never a JSON object
    /// or array, and the webhook reads nothing but an object (any other body is refused with a 400
    /// before a message is read). The JSON scalars the alphabet can still spell (<c>1</c>, <c>-1.5e+3</c>,
    /// <c>true</c>, <c>null</c>) are refused too: no answer signs a body that parses at all, however
    /// lenient the reader may become.
    /// </summary>
    public static bool IsXCrcToken(string? token) => IsOpaqueToken(token) && !ParsesAsJson(token!);

    private static bool ParsesAsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>X's challenge-response check: <c>sha256=</c> and the base64 HMAC of the token under the consumer secret.</summary>
    /// <exception cref="ArgumentException">The token is not one X sends (<see cref="IsXCrcToken"/>): its answer could sign a body.</exception>
    public static string XResponseToken(string consumerSecret, string crcToken) =>
        !IsXCrcToken(crcToken) ? throw new ArgumentException("Not an X challenge token.", nameof(crcToken)) :
        Sha256Prefix + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(consumerSecret), Encoding.UTF8.GetBytes(crcToken)));

    /// <summary>
    /// The customers' messages in a webhook body: direct messages become private ones, comments and
    /// replies public ones in the thread of the post they answer. The account's own echoes, delivery
    /// and read receipts, and messages without text are left out (<paramref name="skipped"/> counts them).
    /// Throws <see cref="JsonException"/> when the body is not the platform's JSON.
    /// </summary>
    public static List<InboundRequest> Messages(Platform platform, ReadOnlyMemory<byte> body, out int skipped)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("The body is not a JSON object.");
        var reader = new PayloadReader();
        switch (platform)
        {
            case Platform.Messenger or Platform.Instagram:
                reader.ReadMeta(root);
                break;
            case Platform.WhatsApp:
                reader.ReadWhatsApp(root);
                break;
            case Platform.X:
                reader.ReadX(root);
                break;
            default:
                throw new JsonException($"No platform webhook for {WireNames.Of(platform)}.");
        }
        skipped = reader.Skipped;
        return reader.Found;
    }

    private sealed class PayloadReader
    {
        public List<InboundRequest> Found { get; } = [];
        public int Skipped { get; private set; }

        public void ReadMeta(JsonElement root)
        {
            foreach (var entry in Array(root, "entry"))
            {
                var account = Str(entry, "id");
                foreach (var e in Array(entry, "messaging"))
                {
                    var message = Obj(e, "message");
                    var sender = Str(Obj(e, "sender"), "id");
                    if (message is not { } m || sender is null || sender == account || Bool(m, "is_echo"))
                    {
                        Skipped++;
                        continue;
                    }
                    Add(Str(m, "mid"), sender, null, Str(m, "text"), Millis(e, "timestamp"), Visibility.Private, null, Str(Obj(m, "reply_to"), "mid"));
                }
                foreach (var change in Array(entry, "changes"))
                {
                    var value = Obj(change, "value");
                    switch (Str(change, "field"))
                    {
                        case "feed" when value is { } v && Str(v, "item") == "comment" && Str(v, "verb") == "add":
                        {
                            // A Facebook page comment: the post is the thread; a reply to a comment names it as parent.
                            var from = Obj(v, "from");
                            var post = Str(v, "post_id");
                            var parent = Str(v, "parent_id");
                            if (Str(from, "id") == account) { Skipped++; break; }
                            Add(Str(v, "comment_id"), Str(from, "id"), Str(from, "name"), Str(v, "message"), Seconds(v, "created_time"),
                                Visibility.Public, post, parent == post ? null : parent);
                            break;
                        }
                        case "comments" when value is { } v:
                        {
                            // An Instagram comment: the media is the thread.
                            var from = Obj(v, "from");
                            if (Str(from, "id") == account) { Skipped++; break; }
                            Add(Str(v, "id"), Str(from, "id"), Str(from, "username"), Str(v, "text"), null,
                                Visibility.Public, Str(Obj(v, "media"), "id"), Str(v, "parent_id"));
                            break;
                        }
                        default:
                            Skipped++;
                            break;
                    }
                }
            }
        }

        public void ReadWhatsApp(JsonElement root)
        {
            foreach (var entry in Array(root, "entry"))
            {
                foreach (var change in Array(entry, "changes"))
                {
                    if (Str(change, "field") != "messages" || Obj(change, "value") is not { } value)
                    {
                        Skipped++;
                        continue;
                    }
                    var names = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var contact in Array(value, "contacts"))
                    {
                        if (Str(contact, "wa_id") is { } waId && Str(Obj(contact, "profile"), "name") is { } name) names[waId] = name;
                    }
                    foreach (var m in Array(value, "messages"))
                    {
                        var from = Str(m, "from");
                        Add(Str(m, "id"), from, from is null ? null : names.GetValueOrDefault(from), Str(Obj(m, "text"), "body"),
                            Seconds(m, "timestamp"), Visibility.Private, null, Str(Obj(m, "context"), "id"));
                    }
                    // Delivery and read receipts of our own messages: nothing a customer said.
                    foreach (var _ in Array(value, "statuses")) Skipped++;
                }
            }
        }

        public void ReadX(JsonElement root)
        {
            var account = Str(root, "for_user_id");
            var users = Obj(root, "users");
            foreach (var e in Array(root, "direct_message_events"))
            {
                var create = Obj(e, "message_create");
                var sender = Str(create, "sender_id");
                if (Str(e, "type") != "message_create" || sender is null || sender == account)
                {
                    Skipped++;
                    continue;
                }
                Add(Str(e, "id"), sender, Str(Obj(users, sender), "name"), Str(Obj(create, "message_data"), "text"),
                    Millis(e, "created_timestamp"), Visibility.Private, null, null);
            }
            foreach (var tweet in Array(root, "tweet_create_events"))
            {
                var user = Obj(tweet, "user");
                if (Str(user, "id_str") is not { } author || author == account)
                {
                    Skipped++;
                    continue;
                }
                // A reply joins the thread of the tweet it answers; a mention that answers nothing opens its own.
                var id = Str(tweet, "id_str");
                var repliedTo = Str(tweet, "in_reply_to_status_id_str");
                var text = Str(Obj(tweet, "extended_tweet"), "full_text") ?? Str(tweet, "text");
                Add(id, author, Str(user, "name"), text, Millis(tweet, "timestamp_ms"), Visibility.Public, repliedTo ?? id, repliedTo);
            }
        }

        private void Add(string? id, string? userId, string? name, string? text, DateTimeOffset? at, Visibility visibility,
            string? thread, string? inReplyTo)
        {
            // Attachments, stickers and reactions carry no text: not a message the inbox can show.
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(userId) || string.IsNullOrWhiteSpace(text)
                || (visibility == Visibility.Public && string.IsNullOrEmpty(thread)))
            {
                Skipped++;
                return;
            }
            Found.Add(new InboundRequest(Clip(id, 256)!, Clip(userId, 256)!, Clip(name, 200), Clip(text, 64 * 1024)!, at, visibility,
                Clip(thread, 256), Clip(inReplyTo, 256)));
        }

        private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

        private static IEnumerable<JsonElement> Array(JsonElement? element, string name) =>
            element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray()
                : [];

        private static JsonElement? Obj(JsonElement? element, string name) =>
            element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object ? o : null;

        private static string? Str(JsonElement? element, string name)
        {
            if (element is not { ValueKind: JsonValueKind.Object } e || !e.TryGetProperty(name, out var v)) return null;
            return v.ValueKind switch
            {
                // A platform resends a body it got no 2xx for, and its sender cannot take a NUL back out:
                // it is dropped (PostgreSQL cannot store it), and the rest of the message is kept.
                JsonValueKind.String => v.GetString()?.Replace("\0", "", StringComparison.Ordinal),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            };
        }

        private static bool Bool(JsonElement element, string name) =>
            element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        private static DateTimeOffset? Millis(JsonElement? element, string name) =>
            long.TryParse(Str(element, name), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and < 253_402_300_799_999
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;

        private static DateTimeOffset? Seconds(JsonElement? element, string name) =>
            long.TryParse(Str(element, name), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and < 253_402_300_799
                ? DateTimeOffset.FromUnixTimeSeconds(s)
                : null;
    }
}
