using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace SocialCrm.LoadTest.Measurement;

/// <summary>
/// The managed heap of another .NET process after a full, blocking GC: an EventPipe session with
/// the runtime's GCHeapCollect keyword makes the process collect (as dotnet-gcdump does), and the
/// GCHeapStats event that follows gives the size of each generation, the large and pinned heaps.
/// </summary>
public static class ManagedHeap
{
    public static async Task<long> AfterFullCollectionAsync(int pid, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)],
            requestRundown: false, circularBufferMB: 64, cancellationToken);
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var induced = false;
        using var source = new EventPipeEventSource(session.EventStream);
        source.Clr.GCStart += e => induced |= e.Reason == GCReason.Induced && e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (!induced) return;
            // Gen 0–2, the large object heap (gen 3) and the pinned object heap (gen 4).
            heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
        };
        var processing = Task.Run(source.Process, cancellationToken);
        try
        {
            return await heap.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
