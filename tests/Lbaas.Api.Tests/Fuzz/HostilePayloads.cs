using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lbaas.Api.Tests.Fuzz;

/// <summary>
/// A seeded generator of hostile request bodies and query values: each payload is a valid body
/// with one to three mutations (hostile strings, wrong JSON types, deep nesting, duplicate and
/// case-variant keys, a BOM, invalid UTF-8, truncation). The same seed gives the same payloads.
/// </summary>
public sealed class HostilePayloads(int seed)
{
    /// <summary>Strings that have broken configuration writers before: each one alone, or inside a normal value.</summary>
    public static readonly string[] HostileStrings =
    [
        "\0", "a\0b", "\u0001\u0002\u0007\u0008\u000b\u000c\u001b\u001f", "\u007f", "x\ny", "x\ry", "\r\n", "\n    server evil 127.0.0.1:1",
        "\"", "'", "\\", "\\\"", "`", "#", " # comment", "%[src]", "%[req.hdr(host)]", "${HOME}", "${LBAAS_HOME:-/}", "$(id)",
        "\u2028", "\u2029", "a\u2028b", "\u200f", "\u200e", "\u202e", "\u202dab\u202c", "\ufeff", "\ufffd", "\ud83d\ude00", "\u0085",
        " ", "\t", "", "a b", "-1", "0", "1e309", "NaN", "null", "true", "{}", "[]", "127.0.0.1:80", "../../etc/passwd", "/%00",
        "lb_1", "b_1", "backend evil", "frontend x\n", "ÄÖÜ", "ǅ", "İ", "ß",
    ];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "\\u", "\\ud800", "0x1", "-", "+1", "01", ".5"];

    // Unescaped: the hostile characters reach the API as raw UTF-8, not as \u escapes only; deep enough for the nesting mutation.
    private static readonly JsonSerializerOptions Writer = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 4_000 };

    private readonly Random _random = new(seed);

    /// <summary>The whole hostile query value for a query parameter: hostile strings, percent-encoded, NUL included.</summary>
    public string QueryValue()
    {
        var value = _random.Next(4) == 0 ? Long() : Pick(HostileStrings) + (_random.Next(2) == 0 ? Pick(HostileStrings) : "");
        return _random.Next(5) == 0 ? "%00" + Uri.EscapeDataString(value) : Uri.EscapeDataString(value);
    }

    /// <summary>A mutation of <paramref name="valid"/>, as bytes, with what was done for the failure message.</summary>
    public (byte[] Body, string What) Mutate(JsonNode valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var node = valid.DeepClone();
        var steps = new List<string>();
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            steps.Add(MutateTree(node));
        }
        var text = node.ToJsonString(Writer);
        switch (_random.Next(10))
        {
            case 0:
                steps.Add("duplicate key");
                text = DuplicateKey(text, node);
                break;
            case 1:
                steps.Add("truncated");
                text = text[.._random.Next(text.Length)];
                break;
            case 2:
                steps.Add("stray token");
                var at = _random.Next(text.Length);
                text = text[..at] + Pick(Tokens) + text[at..];
                break;
            default:
                break;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (_random.Next(12))
        {
            case 0:
                steps.Add("BOM");
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
                break;
            case 1:
                steps.Add("invalid UTF-8");
                bytes = InvalidUtf8(bytes);
                break;
            default:
                break;
        }
        return (bytes, string.Join(", ", steps));
    }

    private string MutateTree(JsonNode root)
    {
        var (parent, key, index) = PickSlot(root);
        JsonNode? Get() => key is not null ? ((JsonObject)parent)[key] : ((JsonArray)parent)[index];
        void Set(JsonNode? value)
        {
            if (key is not null)
            {
                ((JsonObject)parent)[key] = value;
            }
            else
            {
                ((JsonArray)parent)[index] = value;
            }
        }
        var where = key ?? $"[{index}]";
        switch (_random.Next(9))
        {
            case 0:
            case 1:
                var hostile = Pick(HostileStrings);
                Set(Get() is JsonValue v && v.TryGetValue<string>(out var s) && _random.Next(2) == 0 ? s + hostile + s : hostile);
                return $"hostile string at {where}";
            case 2:
                Set(Long());
                return $"long string at {where}";
            case 3:
                Set(WrongType());
                return $"wrong type at {where}";
            case 4:
                Set(Nested(_random.Next(2) == 0 ? _random.Next(2, 40) : _random.Next(100, 3000)));
                return $"deep nesting at {where}";
            case 5 when key is not null:
                var obj = (JsonObject)parent;
                var value = obj[key];
                obj.Remove(key);
                var variant = CaseVariant(key);
                obj[variant] = value?.DeepClone();
                return $"case-variant key {variant}";
            case 6:
                var target = parent as JsonObject ?? Members(root);
                target[Pick(HostileStrings) + _random.Next(100)] = Pick(HostileStrings);
                return "unknown hostile key";
            case 7:
                var labels = new JsonObject();
                var labelKey = _random.Next(2) == 0 ? "env" : Pick(HostileStrings);
                labels[labelKey] = Pick(HostileStrings);
                labels[CaseVariant(labelKey)] = "v";
                Members(root)["labels"] = labels;
                return "hostile labels";
            default:
                Set(null);
                return $"null at {where}";
        }
    }

    /// <summary>A random member or element anywhere in the tree (the root's members when it has nothing deeper).</summary>
    /// <summary>The object that holds the members: the root, or the first element of a root array (PUT of a pool).</summary>
    private static JsonObject Members(JsonNode root) => root as JsonObject ?? root.AsArray().OfType<JsonObject>().FirstOrDefault() ?? new JsonObject();

    private (JsonNode Parent, string? Key, int Index) PickSlot(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode node, int depth)
        {
            if (depth > 6)
            {
                return;
            }
            if (node is JsonObject obj)
            {
                foreach (var (k, v) in obj.ToList())
                {
                    slots.Add((obj, k, -1));
                    if (v is not null)
                    {
                        Walk(v, depth + 1);
                    }
                }
            }
            else if (node is JsonArray arr)
            {
                for (var i = 0; i < arr.Count; i++)
                {
                    slots.Add((arr, null, i));
                    if (arr[i] is { } child)
                    {
                        Walk(child, depth + 1);
                    }
                }
            }
        }
        Walk(root, 0);
        return slots.Count == 0 ? (Members(root), "name", -1) : slots[_random.Next(slots.Count)];
    }

    private string Long() => _random.Next(3) switch
    {
        0 => new string('x', _random.Next(1_000, 70_000)),
        1 => string.Concat(Enumerable.Repeat(Pick(HostileStrings), _random.Next(100, 3000))),
        _ => new string('a', 63) + "b",
    };

    private JsonNode? WrongType() => _random.Next(10) switch
    {
        0 => JsonValue.Create(_random.Next(int.MinValue, int.MaxValue)),
        1 => JsonValue.Create(1e300),
        2 => JsonValue.Create(-0.5),
        3 => JsonValue.Create(true),
        4 => new JsonArray("a", 1, null),
        5 => new JsonObject { ["host"] = "127.0.0.1" },
        6 => JsonValue.Create("12"),
        7 => JsonValue.Create(long.MaxValue),
        8 => JsonValue.Create(decimal.MaxValue),
        _ => new JsonArray(),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("deep");
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }
        return node;
    }

    private string CaseVariant(string key) => _random.Next(3) switch
    {
        0 => key.ToUpperInvariant(),
        1 => key.Length == 0 ? "X" : char.ToUpperInvariant(key[0]) + key[1..],
        _ => string.Concat(key.Select(c => _random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)),
    };

    /// <summary>The text with one of its top-level members repeated (a second value after the first).</summary>
    private string DuplicateKey(string text, JsonNode node)
    {
        var members = Members(node);
        var key = members.Count == 0 ? "name" : members.ElementAt(_random.Next(members.Count)).Key;
        var duplicate = $"{JsonSerializer.Serialize(key)}: {JsonSerializer.Serialize(Pick(HostileStrings))}";
        var open = text.IndexOf('{', StringComparison.Ordinal);
        return open < 0 ? text : text[..(open + 1)] + duplicate + (text[(open + 1)..].TrimStart().StartsWith('}') ? "" : ", ") + text[(open + 1)..];
    }

    private byte[] InvalidUtf8(byte[] bytes)
    {
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
        var at = _random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. bad[_random.Next(bad.Length)], .. bytes[at..]];
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
