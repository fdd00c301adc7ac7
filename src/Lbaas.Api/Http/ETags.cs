using System.Globalization;

namespace Lbaas.Api.Http;

/// <summary>ETags are the row's <c>xmin</c>, quoted.</summary>
public static class ETags
{
    public static string Format(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Null when the request has no If-Match; otherwise whether one of its tags (or <c>*</c>) matches.</summary>
    public static bool? IfMatch(HttpRequest request, uint version)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var current = Format(version);
        return header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || tag == current || tag == "W/" + current);
    }

    public static void Set(HttpResponse response, uint version) => response.Headers.ETag = Format(version);
}
