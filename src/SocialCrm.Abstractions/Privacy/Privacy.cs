using SocialCrm.Abstractions.Consent;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;

namespace SocialCrm.Abstractions.Privacy;

/// <summary>
/// The brand's audit log, keyed by the brand id: one chain per brand, so entries are numbered and
/// hashed here, in order, and written in batches.
/// </summary>
public interface IAuditGrain : IBrandScopedGrain
{
    Task<AuditEntry> Record(AuditDraft draft);

    [AlwaysInterleave]
    Task<AuditPage> List(AuditQuery query);

    [AlwaysInterleave]
    Task<AuditVerification> Verify();
}

/// <summary>What happened, before the log numbers and hashes it.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditDraft(
    [property: Id(0)] string Actor,
    [property: Id(1)] string Action,
    [property: Id(2)] string? CustomerId,
    [property: Id(3)] string? Resource);

[GenerateSerializer, Immutable]
public sealed record AuditEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Action,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] string? Resource,
    [property: Id(6)] string Hash);

[GenerateSerializer, Immutable]
public sealed record AuditQuery(
    [property: Id(0)] string? CustomerId,
    [property: Id(1)] string? Actor,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] long AfterSeq,
    [property: Id(5)] int Limit);

[GenerateSerializer, Immutable]
public sealed record AuditPage([property: Id(0)] IReadOnlyList<AuditEntry> Items, [property: Id(1)] long? NextAfterSeq);

[GenerateSerializer, Immutable]
public sealed record AuditVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long Entries,
    [property: Id(2)] long? FirstBrokenSeq);

/// <summary>Everything held on one customer: the answer to a data subject access request.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerExport(
    [property: Id(0)] CustomerView Profile,
    [property: Id(1)] IReadOnlyList<ConsentRecord> ConsentHistory,
    [property: Id(2)] IReadOnlyList<ExportedConversation> Conversations,
    [property: Id(3)] IReadOnlyList<AuditEntry> AuditEntries,
    [property: Id(4)] DateTimeOffset ExportedAt);

[GenerateSerializer, Immutable]
public sealed record ExportedConversation(
    [property: Id(0)] ConversationView Conversation,
    [property: Id(1)] IReadOnlyList<MessageView> Messages);

[GenerateSerializer, Immutable]
public sealed record Erasure([property: Id(0)] string CustomerId, [property: Id(1)] DateTimeOffset ErasedAt);

/// <summary>A brand's privacy settings.</summary>
[GenerateSerializer, Immutable]
public sealed record BrandSettings(
    [property: Id(0)] IReadOnlyList<string> OptOutKeywords,
    [property: Id(1)] int? RetentionDays,
    [property: Id(2)] bool ProfilingByLegitimateInterest)
{
    /// <summary>The words that, alone in a customer's message, withdraw marketing consent.</summary>
    public static readonly IReadOnlyList<string> DefaultOptOutKeywords = ["stop", "unsubscribe", "stopall", "cancel", "end", "quit"];

    public static readonly BrandSettings Default = new(DefaultOptOutKeywords, null, false);
}

[GenerateSerializer, Immutable]
public sealed record RetentionRun(
    [property: Id(0)] DateTimeOffset Cutoff,
    [property: Id(1)] int PurgedMessages,
    [property: Id(2)] DateTimeOffset RanAt);
