using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocialCrm.LoadTest.Service;

// The slice of docs/api.md the benchmark speaks. Redeclared here rather than referenced, so the tool
// measures the HTTP contract a real client sees.

public sealed record CreateBrandRequest(string Id, string Name);

public sealed record BrandCreated(string Id, string Name, string AdminKey);

public sealed record CreateChannelRequest(string Id, string Platform, string ExternalAccountId, string DisplayName);

public sealed record InboundThread(string Visibility);

public sealed record InboundMessageRequest(string ExternalMessageId, string ExternalUserId, string Text, InboundThread Thread);

public sealed record InboundAccepted(string ConversationId, string MessageId, string CustomerId, long Seq, bool Duplicate);

public sealed record StoredMessage(long Seq, string Id, string AuthorType, string? ExternalMessageId);

public sealed record MessagePage(List<StoredMessage> Items, long? NextAfterSeq);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateBrandRequest))]
[JsonSerializable(typeof(BrandCreated))]
[JsonSerializable(typeof(CreateChannelRequest))]
[JsonSerializable(typeof(InboundMessageRequest))]
[JsonSerializable(typeof(InboundAccepted))]
[JsonSerializable(typeof(MessagePage))]
internal sealed partial class WireJson : JsonSerializerContext;
