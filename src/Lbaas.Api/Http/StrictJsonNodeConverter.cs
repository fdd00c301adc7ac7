using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lbaas.Api.Http;

/// <summary>
/// Reads a <see cref="JsonNode"/> (merge patch bodies) refusing duplicate keys at any depth with a
/// <see cref="JsonException"/> whose path names the key. The framework's own reader keeps the
/// duplicate and throws <see cref="ArgumentException"/> later, when the object is first touched.
/// Keys compare exactly: <c>env</c> and <c>ENV</c> are two keys, as everywhere in the API.
/// </summary>
public sealed class StrictJsonNodeConverter : JsonConverter<JsonNode>
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    public override bool HandleNull => true;

    public override JsonNode? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadNode(ref reader, "$");

    public override void Write(Utf8JsonWriter writer, JsonNode? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer, options);
        }
    }

    /// <summary>The message of a duplicate key, also used for duplicates the serializer finds in typed bodies.</summary>
    public static string DuplicateMessage(string key) => $"'{key}' appears more than once; each key may be given only once.";

    /// <summary>A string token; escapes that are not valid UTF-16 (a lone surrogate) are a body error, not a 500.</summary>
    private static string Text(ref Utf8JsonReader reader, string path)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonException("A string is not valid Unicode text (a lone surrogate escape).", path, null, null);
        }
    }

    private static JsonNode? ReadNode(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject(NodeOptions);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = Text(ref reader, path);
                    var child = $"{path}.{name}";
                    if (obj.ContainsKey(name))
                    {
                        throw new JsonException(DuplicateMessage(name), child, null, null);
                    }
                    reader.Read();
                    obj[name] = ReadNode(ref reader, child);
                }
                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray(NodeOptions);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadNode(ref reader, $"{path}[{array.Count.ToString(CultureInfo.InvariantCulture)}]"));
                }
                return array;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return JsonValue.Create(Text(ref reader, path), NodeOptions);
            default:
                return JsonValue.Create(JsonElement.ParseValue(ref reader), NodeOptions);
        }
    }
}
