using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>How the brand's live event stream reads the log (configuration section <c>Events</c>).</summary>
public sealed class BrandEventOptions
{
    public const string Section = "Events";

    /// <summary>How often an open stream looks for new entries.</summary>
    public int PollIntervalMs { get; set; } = 250;

    /// <summary>
    /// How old an entry must be before it is streamed. Ids are made before the entry commits, so a
    /// later id can commit first; waiting this long (more than a commit takes, plus the nodes' clock
    /// skew) keeps the stream in id order, which is what a resume by <c>Last-Event-ID</c> relies on.
    /// </summary>
    public int SettleMs { get; set; } = 1000;

    /// <summary>A comment line is sent after this long without an event, so proxies keep the connection.</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>The most entries read at once: what one connection holds in memory.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Open streams one key may hold on a node; each polls the database.</summary>
    public int MaxStreamsPerKey { get; set; } = 4;

    /// <summary>Open streams a node serves in all.</summary>
    public int MaxStreamsPerNode { get; set; } = 500;

    /// <summary>How often an open stream asks whether its key still works, so a revoked key's stream ends.</summary>
    public int KeyCheckSeconds { get; set; } = 30;
}

/// <summary>One event of the brand's live stream: its id (the log entry's, time-ordered), type and JSON data.</summary>
public sealed record BrandEvent(string Id, string Type, string Data);

/// <summary>What one read of the stream found, and where the next read starts.</summary>
public sealed record BrandEventBatch(IReadOnlyList<BrandEvent> Events, string Cursor, bool More);

/// <summary>
/// The brand's live events, read from the message log the group commit writes anyway: no per-brand
/// grain and no extra write sits on the message path. Each log entry is at most one event, whose id
/// is the entry's time-ordered id, so a client resumes after the last id it saw. Events carry ids,
/// kinds and times, never message text: a console fetches the text with its key (and that read is audited).
/// </summary>
public sealed class BrandEventFeed(MessageLog log, IOptions<BrandEventOptions> options, TimeProvider clock)
{
    public BrandEventOptions Options => options.Value;

    /// <summary>Whether a <c>Last-Event-ID</c> is one this stream could have sent.</summary>
    public static bool IsEventId(string value) =>
        Ids.IsValid(value) && value.StartsWith(Ids.MessagePrefix + "_", StringComparison.Ordinal);

    /// <summary>Where a stream starts: after the client's last event, or from now.</summary>
    public string Start(string? lastEventId) => lastEventId ?? SettledBound();

    /// <summary>The settled entries after the cursor, as events (entries that are no event still move the cursor).</summary>
    public async Task<BrandEventBatch> ReadAsync(string brandId, string cursor, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, Options.BatchSize);
        var entries = await log.BrandEntriesBetweenAsync(brandId, cursor, SettledBound(), limit, cancellationToken);
        var events = new List<BrandEvent>(entries.Count);
        foreach (var entry in entries)
            if (EventOf(entry) is { } e) events.Add(e);
        return new BrandEventBatch(events, entries.Count > 0 ? entries[^1].Id : cursor, entries.Count == limit);
    }

    private string SettledBound() =>
        Ids.TimeOrderedBound(Ids.MessagePrefix, clock.GetUtcNow().ToUnixTimeMilliseconds() - Math.Max(0, Options.SettleMs));

    /// <summary>A new message, or a change of assignee, status or control; other entries (links between conversations) are no event.</summary>
    public static BrandEvent? EventOf(BrandLogEntry entry)
    {
        if (ConversationEvents.TypeOf(entry.EventType) is not { } type) return null;
        var data = new JsonObject
        {
            ["conversationId"] = entry.ConversationId,
            ["channelId"] = entry.ChannelId,
            ["seq"] = entry.Seq,
            ["visibility"] = entry.Visibility,
            ["occurredAt"] = DateTimeOffset.FromUnixTimeMilliseconds(entry.CreatedAtMs),
        };
        if (entry.EventType is null)
        {
            data["messageId"] = entry.Id;
            data["authorType"] = entry.AuthorType;
            data["authorId"] = entry.AuthorId;
        }
        else if (entry.EventData is not null && JsonNode.Parse(entry.EventData) is JsonObject change)
        {
            // The change as recorded: from, to and by (agent, bot or customer ids).
            foreach (var field in new[] { "from", "to", "by" })
                data[field] = change[field]?.DeepClone();
        }
        return new BrandEvent(entry.Id, type, data.ToJsonString(JsonSerializerOptions.Web));
    }
}
