using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialCrm.LoadTest.Privacy;

// The privacy routes' shapes this tool reads (docs/api.md, "Customers, consent, privacy"), redeclared
// like Service/Wire.cs so the tool sees what a real client sees.

/// <summary>One message of <c>GET .../conversations/{id}/messages</c>, with the fields erasure changes.</summary>
public sealed record ConversationMessage(long Seq, string Id, string AuthorType, string? AuthorId, string? Text, bool Redacted, string? ExternalMessageId);

public sealed record ConversationMessagePage(List<ConversationMessage> Items, long? NextAfterSeq);

/// <summary>The answer of <c>DELETE /v1/brands/{b}/customers/{id}</c>.</summary>
public sealed record ErasureAnswer(string CustomerId, DateTimeOffset ErasedAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConversationMessagePage))]
[JsonSerializable(typeof(ErasureAnswer))]
internal sealed partial class PrivacyJson : JsonSerializerContext;
