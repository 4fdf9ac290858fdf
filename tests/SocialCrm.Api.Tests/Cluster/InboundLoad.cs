using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SocialCrm.Api.Tests.Infrastructure;

namespace SocialCrm.Api.Tests.Cluster;

/// <summary>What the service answered for one delivery of an inbound message.</summary>
public sealed record InboundAck(string ExternalMessageId, string User, string ConversationId, string MessageId, long Seq, bool Duplicate);

/// <summary>
/// Inbound traffic as a messaging platform sends it: many concurrent senders over many
/// conversations, spread across the nodes. A delivery that fails or times out is sent again, with
/// the same message id, to the node that stays up, until it is acknowledged; now and then an
/// acknowledged message is delivered once more, as platforms do.
/// </summary>
public sealed class InboundLoad(string inboundPath, HttpClient[] nodes, int survivor)
{
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(60);
    private const int RedeliverEvery = 8;

    private readonly ConcurrentQueue<InboundAck> _acks = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private volatile int _lost = -1;
    private int _delivered;
    private readonly int[] _inFlight = new int[nodes.Length];

    /// <summary>Every acknowledgement, first deliveries and redeliveries alike.</summary>
    public IReadOnlyCollection<InboundAck> Acks => _acks;

    /// <summary>Failed attempts by what went wrong ("500 on node 0", "timeout on node 1", ...).</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    /// <summary>How many requests the node has not answered yet.</summary>
    public int InFlight(int node) => Volatile.Read(ref _inFlight[node]);

    /// <summary>From now on only the survivor is sent new messages (the other node is being killed).</summary>
    public void LoseNode(int node) => _lost = node;

    /// <summary>
    /// Waits out one phase of the load: <paramref name="plenty"/> more acknowledgements once
    /// <paramref name="atLeast"/> has passed, or <paramref name="few"/> once <paramref name="enough"/> has
    /// (a loaded machine may ingest slowly); a minute at most, after which the caller's assertions judge.
    /// </summary>
    public async Task WaitForAcksAsync(int plenty, int few, TimeSpan atLeast, TimeSpan enough)
    {
        var before = _acks.Count;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            var more = _acks.Count - before;
            if ((waited.Elapsed >= atLeast && more >= plenty) || (waited.Elapsed >= enough && more >= few)) return;
            await Task.Delay(100);
        }
    }

    /// <summary>Runs the senders until <paramref name="stop"/> fires; each finishes its message in flight.</summary>
    public Task RunAsync(int senders, int conversations, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(() => SendLoopAsync(sender, conversations, stop))));

    private async Task SendLoopAsync(int sender, int conversations, CancellationToken stop)
    {
        var random = new Random(sender);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var externalMessageId = $"m-{sender}-{n}";
            var user = "u-" + random.Next(conversations);
            await DeliverAsync(externalMessageId, user, PickNode(sender + n));
            if (Interlocked.Increment(ref _delivered) % RedeliverEvery == 0)
                await DeliverAsync(externalMessageId, user, PickNode(sender + n + 1));
        }
    }

    private int PickNode(int turn)
    {
        var lost = _lost;
        var node = turn % nodes.Length;
        return node == lost ? survivor : node;
    }

    private async Task DeliverAsync(string externalMessageId, string user, int node)
    {
        var giveUpAt = DateTime.UtcNow + RetryDeadline;
        for (var attempt = 1; ; attempt++)
        {
            var failure = await TryDeliverAsync(externalMessageId, user, node);
            if (failure.Ack is { } ack)
            {
                _acks.Enqueue(ack);
                return;
            }
            _failures.AddOrUpdate($"{failure.Reason} on node {node}", 1, (_, count) => count + 1);
            if (DateTime.UtcNow > giveUpAt)
                throw new TimeoutException($"Message {externalMessageId} was not acknowledged within {RetryDeadline}: {failure.Reason}.");
            // As a platform would: back off a little, then try the node that is still up.
            node = survivor;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * attempt, 500)));
        }
    }

    private async Task<(InboundAck? Ack, string Reason)> TryDeliverAsync(string externalMessageId, string user, int node)
    {
        Interlocked.Increment(ref _inFlight[node]);
        try
        {
            using var response = await nodes[node].PostAsJsonAsync(inboundPath,
                BrandSetup.Inbound(externalMessageId, user, $"message {externalMessageId}"));
            if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
                return (null, ((int)response.StatusCode).ToString());
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var ack = new InboundAck(externalMessageId, user, body["conversationId"]!.GetValue<string>(), body["messageId"]!.GetValue<string>(),
                body["seq"]!.GetValue<long>(), body["duplicate"]!.GetValue<bool>());
            // The status and the body must agree: 200 is a repeat, 202 a first acceptance.
            if (ack.Duplicate != (response.StatusCode == HttpStatusCode.OK))
                throw new InvalidOperationException($"Status {(int)response.StatusCode} with duplicate={ack.Duplicate} for {externalMessageId}.");
            return (ack, "");
        }
        catch (TaskCanceledException)
        {
            return (null, "timeout");
        }
        catch (HttpRequestException)
        {
            return (null, "connection error");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight[node]);
        }
    }
}
