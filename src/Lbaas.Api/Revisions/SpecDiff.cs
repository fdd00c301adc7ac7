using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lbaas.Api.Revisions;

/// <summary>
/// Human-readable differences between two load balancer specs (the JSON of a request with its
/// backends). Objects compare by key, at any depth; backends compare by host:port, so a reordered
/// pool is no change and a changed weight reads as one line. A missing field equals null.
/// </summary>
public static class SpecDiff
{
    private const string None = "(none)";

    public static IReadOnlyList<string> Between(JsonNode? before, JsonNode? after)
    {
        var changes = new List<string>();
        Compare("", "", before, after, changes);
        return changes;
    }

    private static void Compare(string prefix, string key, JsonNode? before, JsonNode? after, List<string> changes)
    {
        var path = prefix + key;
        if (path == "backends" && before is JsonArray or null && after is JsonArray or null)
        {
            CompareBackends(before as JsonArray ?? [], after as JsonArray ?? [], changes);
        }
        else if (before is JsonObject or null && after is JsonObject or null && (before ?? after) is not null)
        {
            CompareObjects(path.Length == 0 ? "" : path + ".", before as JsonObject ?? [], after as JsonObject ?? [], changes);
        }
        else if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add($"{path}: {Show(before)} -> {Show(after)}");
        }
    }

    /// <summary>In the order of <paramref name="after"/>, then what only <paramref name="before"/> had.</summary>
    private static void CompareObjects(string prefix, JsonObject before, JsonObject after, List<string> changes)
    {
        foreach (var (key, value) in after)
        {
            Compare(prefix, key, before[key], value, changes);
        }
        foreach (var (key, value) in before.Where(p => !after.ContainsKey(p.Key)))
        {
            Compare(prefix, key, value, null, changes);
        }
    }

    private static void CompareBackends(JsonArray before, JsonArray after, List<string> changes)
    {
        var old = ByEndpoint(before);
        var now = ByEndpoint(after);
        foreach (var (endpoint, server) in now)
        {
            if (old.TryGetValue(endpoint, out var previous))
            {
                CompareObjects($"backend {endpoint} ", previous, server, changes);
            }
            else
            {
                changes.Add($"backend {endpoint} added");
            }
        }
        changes.AddRange(old.Keys.Where(endpoint => !now.ContainsKey(endpoint)).Select(endpoint => $"backend {endpoint} removed"));
    }

    /// <summary>Backends keyed by host:port (<c>[::1]:80</c> for IPv6), in their order.</summary>
    private static Dictionary<string, JsonObject> ByEndpoint(JsonArray servers)
    {
        var keyed = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i] is not JsonObject server)
            {
                continue;
            }
            var host = Show(server["host"]);
            var endpoint = $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{Show(server["port"])}";
            keyed.TryAdd(endpoint, server);
        }
        return keyed;
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => None,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } text ? text : "\"\"",
        _ => node.ToJsonString(),
    };
}
