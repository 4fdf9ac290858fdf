using System.Text.Json;
using System.Text.Json.Serialization;
using SocialCrm.Abstractions;

namespace SocialCrm.Host.Api;

/// <summary>
/// Every string of every JSON body: a NUL character is refused while reading, so that the request
/// is a 400 naming the field (by its JSON path) on every database, not a database error on
/// PostgreSQL and a stored NUL on SQLite.
/// </summary>
public sealed class NulRefusingStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return TextRules.HasNul(value) ? throw new NulCharacterException() : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString()!;
        return TextRules.HasNul(value) ? throw new NulCharacterException() : value;
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);
}

/// <summary>A JSON string held a NUL character; the serializer adds the field's path.</summary>
public sealed class NulCharacterException() : JsonException(TextRules.NulRefusal);
