using System.Collections.Concurrent;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Measurement;

/// <summary>One message the service acked, as its ack described it.</summary>
public readonly record struct AckedMessage(string ExternalMessageId, string ConversationId, string MessageId, long Seq);

/// <summary>What reading the conversations back found.</summary>
public sealed record VerificationReport(
    int Acked,
    int Verified,
    int Missing,
    int Duplicated,
    int Mismatched,
    int ConversationsRead,
    int ConversationsWithGaps,
    long StoredTotal,
    int StoredWithoutAck)
{
    /// <summary>Every ack is backed by exactly one stored message with the acked id and seq, and no conversation skips a seq.</summary>
    public bool Passed => Verified == Acked && Missing == 0 && Duplicated == 0 && Mismatched == 0 && ConversationsWithGaps == 0;

    public string Describe() =>
        $"{Verified} of {Acked} acked messages stored exactly once with their acked id and seq " +
        $"({Missing} missing, {Duplicated} duplicated, {Mismatched} mismatched); " +
        $"{ConversationsRead} conversations read back, {StoredTotal} messages, {ConversationsWithGaps} with seq gaps, " +
        $"{StoredWithoutAck} stored without an ack (requests that failed or timed out after the commit)" +
        (Passed ? "" : "  ** VERIFICATION FAILED **");
}

/// <summary>
/// Reads back every conversation an ack named, through the public messages endpoint, and checks the
/// durability promise: an acked message is in the log exactly once (by the platform's message id,
/// the service's message id and its seq).
/// </summary>
public static class MessageLogVerifier
{
    private const int PageSize = 200;
    // A bound on the read loop: no conversation in a benchmark run comes near 20 million messages.
    private const int MaxPagesPerConversation = 100_000;

    public static async Task<VerificationReport> VerifyAsync(BrandSession session, IReadOnlyCollection<AckedMessage> acks, int readers,
        CancellationToken cancellationToken)
    {
        var conversationIds = acks.Select(a => a.ConversationId).Distinct(StringComparer.Ordinal).ToList();
        var stored = new ConcurrentDictionary<string, List<StoredMessage>>(StringComparer.Ordinal);
        var withGaps = 0;
        await Parallel.ForEachAsync(conversationIds,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, readers), CancellationToken = cancellationToken },
            async (conversationId, token) =>
            {
                var messages = await ReadAllAsync(session, conversationId, token);
                stored[conversationId] = messages;
                if (!SeqsRunFromOneWithoutGaps(messages)) Interlocked.Increment(ref withGaps);
            });

        var byExternalId = new Dictionary<string, List<(string ConversationId, StoredMessage Message)>>(StringComparer.Ordinal);
        foreach (var (conversationId, messages) in stored)
        {
            foreach (var message in messages)
            {
                if (message.ExternalMessageId is not { } externalId) continue;
                if (!byExternalId.TryGetValue(externalId, out var copies)) byExternalId[externalId] = copies = [];
                copies.Add((conversationId, message));
            }
        }

        int verified = 0, missing = 0, duplicated = 0, mismatched = 0;
        var ackedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ack in acks)
        {
            ackedIds.Add(ack.ExternalMessageId);
            if (!byExternalId.TryGetValue(ack.ExternalMessageId, out var copies)) missing++;
            else if (copies.Count > 1) duplicated++;
            else if (copies[0].ConversationId != ack.ConversationId || copies[0].Message.Id != ack.MessageId || copies[0].Message.Seq != ack.Seq)
                mismatched++;
            else verified++;
        }
        var storedWithoutAck = byExternalId.Keys.Count(id => !ackedIds.Contains(id));
        return new VerificationReport(acks.Count, verified, missing, duplicated, mismatched, stored.Count, withGaps,
            stored.Values.Sum(m => (long)m.Count), storedWithoutAck);
    }

    private static async Task<List<StoredMessage>> ReadAllAsync(BrandSession session, string conversationId, CancellationToken cancellationToken)
    {
        var all = new List<StoredMessage>();
        long afterSeq = 0;
        for (var page = 0; page < MaxPagesPerConversation; page++)
        {
            var result = await session.ReadMessagesAsync(conversationId, afterSeq, PageSize, cancellationToken);
            all.AddRange(result.Items);
            if (result.NextAfterSeq is not { } next) return all;
            afterSeq = next;
        }
        throw new InvalidOperationException($"Conversation {conversationId} has more than {MaxPagesPerConversation * PageSize} messages.");
    }

    private static bool SeqsRunFromOneWithoutGaps(List<StoredMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
            if (messages[i].Seq != i + 1) return false;
        return true;
    }
}
