using System.Text.Json.Nodes;

namespace Lbaas.Api.Http;

/// <summary>JSON merge patch (RFC 7396): objects merge, null removes, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name]?.DeepClone(), value);
            }
        }
        return result;
    }
}
