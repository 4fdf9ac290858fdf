using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SocialCrm.Abstractions.Telemetry;

/// <summary>
/// The service's own meter and activity source (name <c>SocialCrm</c>), beside ASP.NET Core's and
/// Orleans'. Tags carry kinds and outcomes only: never message text, ids of people, keys or secrets.
/// </summary>
public static class SocialCrmMetrics
{
    public const string Name = "SocialCrm";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Activities = new(Name);

    /// <summary>Inbound messages durably appended (duplicates are counted apart by their tag).</summary>
    public static readonly Counter<long> MessagesIngested = Meter.CreateCounter<long>(
        "socialcrm.messages.ingested", "{message}", "Inbound messages acked after their durable append.");

    /// <summary>From the inbound request's arrival to its ack: what a platform's webhook waits for.</summary>
    public static readonly Histogram<double> InboundAckDuration = Meter.CreateHistogram(
        "socialcrm.inbound.ack.duration", "s", "Time from an inbound message's arrival to its durable ack.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary>How many writes shared one group-commit transaction.</summary>
    public static readonly Histogram<int> GroupCommitBatchSize = Meter.CreateHistogram(
        "socialcrm.group_commit.batch.size", "{write}", "Writes committed together in one transaction.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

    /// <summary>One group-commit transaction, from the first statement to the commit.</summary>
    public static readonly Histogram<double> GroupCommitDuration = Meter.CreateHistogram(
        "socialcrm.group_commit.duration", "s", "Duration of one group-commit transaction.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    /// <summary>Webhook delivery attempts, tagged <c>outcome</c>: delivered, retrying, dead-lettered.</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "socialcrm.webhook.deliveries", "{delivery}", "Webhook delivery attempts by outcome.");

    /// <summary>Actions refused for lack of consent, tagged <c>purpose</c>.</summary>
    public static readonly Counter<long> ConsentRefusals = Meter.CreateCounter<long>(
        "socialcrm.consent.refusals", "{refusal}", "Actions refused because the customer's consent was missing.");
}
