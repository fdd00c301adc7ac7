using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lbaas.Api.Http;

/// <summary>
/// Enums as snake_case strings, accepting <see cref="EnumAliasAttribute"/> spellings and
/// rejecting anything else (numbers included) with a message that lists the valid values.
/// OpenAPI learns the names from <c>EnumSchemaFilter</c>.
/// </summary>
public sealed class SnakeCaseEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert));

    /// <summary>The canonical names of every member of <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> NamesOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(CanonicalName).ToArray();

    private static string CanonicalName(FieldInfo field) =>
        field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name);

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private readonly Dictionary<T, string> _names = [];
        private readonly Dictionary<string, T> _values = new(StringComparer.OrdinalIgnoreCase);

        public Converter()
        {
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (T)field.GetValue(null)!;
                _names[value] = CanonicalName(field);
                _values[_names[value]] = value;
                foreach (var alias in field.GetCustomAttribute<EnumAliasAttribute>()?.Aliases ?? [])
                {
                    _values[alias] = value;
                }
            }
        }

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (text is not null && _values.TryGetValue(text, out var value))
            {
                return value;
            }
            var shown = text is null ? reader.TokenType.ToString().ToLowerInvariant() : $"'{Truncate(text)}'";
            throw new JsonException($"{shown} is not a valid value; expected one of: {string.Join(", ", _names.Values)}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_names[value]);

        private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
