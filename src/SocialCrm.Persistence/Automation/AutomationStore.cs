using SocialCrm.Persistence.Storage;

namespace SocialCrm.Persistence.Automation;

/// <summary>A rule's decision on one message: what to do, as the rule stood then, until carried out.</summary>
/// <param name="RuleJson">The rule as it was when it fired: a later edit does not change what this run does.</param>
public sealed record AutomationRunRecord(string BrandId, string Id, string ConversationId, string RuleId, string Trigger, string? MessageId,
    string RuleJson, long CreatedAtMs, int Attempts = 0);

/// <summary>How many runs of a rule ended one way, and why.</summary>
public sealed record AutomationRunCount(string RuleId, string Status, string? Reason, long Count);

/// <summary>The automation outbox: runs decided with the message that fired them, carried out by its conversation.</summary>
public sealed class AutomationStore(Database database, GroupCommitWriter writer)
{
    public const string Pending = "pending";

    /// <summary>The statement that records a run; it commits with the message (see <c>MessageLog.AppendAsync</c>) or on its own.</summary>
    public static SqlStatement Insert(AutomationRunRecord run, string status = Pending, string? reason = null, long? doneAtMs = null) =>
        new("InsertAutomationRun",
        [
            SqlArg.Text("brand_id", run.BrandId),
            SqlArg.Text("id", run.Id),
            SqlArg.Text("conversation_id", run.ConversationId),
            SqlArg.Text("rule_id", run.RuleId),
            SqlArg.Text("trigger_type", run.Trigger),
            SqlArg.Text("message_id", run.MessageId),
            SqlArg.Text("rule_json", run.RuleJson),
            SqlArg.Text("status", status),
            SqlArg.Text("reason", reason),
            SqlArg.Int64("created_at_ms", run.CreatedAtMs),
            SqlArg.Int64("done_at_ms", doneAtMs),
        ]);

    /// <summary>Records runs to carry out and runs a timer woke whose conditions did not hold (skipped at once), in one transaction.</summary>
    public Task RecordAsync(IReadOnlyList<AutomationRunRecord> pending, IReadOnlyList<AutomationRunRecord> skipped, long nowMs,
        CancellationToken cancellationToken = default) =>
        pending.Count + skipped.Count == 0 ? Task.CompletedTask
            : writer.WriteAsync([.. pending.Select(r => Insert(r)), .. skipped.Select(r => Insert(r, "skipped", "conditions-not-met", nowMs))],
                cancellationToken);

    /// <summary>Records runs that ended as they were decided (an alert rule's webhook goes out with the alert itself).</summary>
    public Task RecordEndedAsync(IReadOnlyList<AutomationRunRecord> runs, string status, long nowMs, CancellationToken cancellationToken = default) =>
        runs.Count == 0 ? Task.CompletedTask : writer.WriteAsync(runs.Select(r => Insert(r, status, null, nowMs)).ToList(), cancellationToken);

    /// <summary>Whether the customer takes part in a conversation other than this one.</summary>
    public async Task<bool> CustomerHasOtherConversationsAsync(string brandId, string customerId, string conversationId,
        CancellationToken cancellationToken = default) =>
        (await database.QueryAsync("ConversationsOfCustomer", [SqlArg.Text("brand_id", brandId), SqlArg.Text("customer_id", customerId)],
            r => r.GetString(0), cancellationToken)).Any(id => id != conversationId);

    public Task<List<AutomationRunRecord>> PendingAsync(string brandId, string conversationId, CancellationToken cancellationToken = default) =>
        database.QueryAsync("PendingAutomationRuns", [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId)],
            r => new AutomationRunRecord(brandId, r.GetString(0), conversationId, r.GetString(1), r.GetString(2), r.StringOrNull(3),
                r.GetString(4), r.Int64(6), (int)r.Int64(5)), cancellationToken);

    /// <summary>Records how a run ended (fired, failed, skipped) and why; a run ends once.</summary>
    public Task CompleteAsync(string brandId, string runId, string status, string? reason, int attempts, long doneAtMs,
        CancellationToken cancellationToken = default) =>
        writer.WriteAsync([Complete(brandId, runId, status, reason, attempts, doneAtMs)], cancellationToken);

    /// <summary>The statement that ends a run, to commit with the run's history entry.</summary>
    public static SqlStatement Complete(string brandId, string runId, string status, string? reason, int attempts, long doneAtMs) =>
        new("CompleteAutomationRun",
        [
            SqlArg.Text("brand_id", brandId), SqlArg.Text("id", runId), SqlArg.Text("status", status), SqlArg.Text("reason", reason),
            SqlArg.Int32("attempts", attempts), SqlArg.Int64("done_at_ms", doneAtMs),
        ]);

    public Task CountAttemptAsync(string brandId, string runId, int attempts, CancellationToken cancellationToken = default) =>
        writer.WriteAsync([new SqlStatement("RetryAutomationRun",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("id", runId), SqlArg.Int32("attempts", attempts)])], cancellationToken);

    /// <summary>Conversations holding runs still pending since before <paramref name="beforeMs"/> (after a crash).</summary>
    public Task<List<(string BrandId, string ConversationId)>> ConversationsWithPendingAsync(long beforeMs, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ConversationsWithPendingAutomation", [SqlArg.Int64("before_ms", beforeMs), SqlArg.Int32("limit", limit)],
            r => (r.GetString(0), r.GetString(1)), cancellationToken);

    /// <summary>Conversations whose "no agent reply" time has come.</summary>
    public Task<List<(string BrandId, string ConversationId)>> ConversationsDueForSlaAsync(long nowMs, int limit,
        CancellationToken cancellationToken = default) =>
        database.QueryAsync("ConversationsDueForSla", [SqlArg.Int64("now_ms", nowMs), SqlArg.Int32("limit", limit)],
            r => (r.GetString(0), r.GetString(1)), cancellationToken);

    public Task<List<AutomationRunCount>> CountsAsync(string brandId, CancellationToken cancellationToken = default) =>
        database.QueryAsync("AutomationRuleCounts", [SqlArg.Text("brand_id", brandId)],
            r => new AutomationRunCount(r.GetString(0), r.GetString(1), r.StringOrNull(2), r.Int64(3)), cancellationToken);

    /// <summary>The customer message the conversation has waited on an agent for the longest, or none.</summary>
    public Task<WaitingMessage?> FirstUnansweredAsync(string brandId, string conversationId, CancellationToken cancellationToken = default) =>
        database.QuerySingleAsync("FirstUnansweredCustomerMessage", [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId)],
            r => new WaitingMessage(r.GetString(0), r.Int64(1), r.StringOrNull(2), r.DoubleOrNull(3)), cancellationToken);

    /// <summary>The rules of a trigger that already ran on a message (a timer fires once per wait and rule).</summary>
    public async Task<HashSet<string>> RulesRunOnAsync(string brandId, string conversationId, string messageId, string trigger,
        CancellationToken cancellationToken = default) =>
        (await database.QueryAsync("RulesRunOnMessage",
            [SqlArg.Text("brand_id", brandId), SqlArg.Text("conversation_id", conversationId), SqlArg.Text("message_id", messageId),
             SqlArg.Text("trigger_type", trigger)],
            r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
}

/// <summary>A customer message still waiting for an agent's answer.</summary>
public sealed record WaitingMessage(string Id, long SentAtMs, string? Body, double? SentimentScore);
