using SocialCrm.Benchmarks;
using SocialCrm.Benchmarks.AppendCost;
using SocialCrm.Benchmarks.Inbound;

// Measures a running node over HTTP (loopback only). Each mode creates a brand of its own, drives
// load, reads everything back to verify it, and ends with one machine-readable "RESULT key=value ..." line.
const string Usage = """
    usage:
      SocialCrm.Benchmarks inbound --url U --bootstrap-key K [--connections 64] [--conversations 2000]
                                   [--seconds 20] [--warmup 5] [--first-contact 1|0] [--text-length 64]
                                   [--max-messages N] [--server-pid P]
      SocialCrm.Benchmarks append-cost --url U --bootstrap-key K [--messages 10000] [--window 100]
                                   [--early-from 10] [--max-seconds 900] [--server-pid P]
    inbound first sends one message to each conversation (first contact, measured apart; --first-contact 0 skips it).
    U must be a loopback address. --server-pid adds the service's CPU use to the report (Linux).
    Exit code: 0 when every acked message was verified, 1 when not, 2 for a usage error.
    """;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var arguments = Arguments.Parse(args);
    return arguments.Mode switch
    {
        "inbound" => await InboundBenchmark.RunAsync(InboundSettings.From(arguments), cancellation.Token),
        "append-cost" => await AppendCostBenchmark.RunAsync(AppendCostSettings.From(arguments), cancellation.Token),
        _ => throw new UsageException($"Unknown mode '{arguments.Mode}'."),
    };
}
catch (UsageException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
