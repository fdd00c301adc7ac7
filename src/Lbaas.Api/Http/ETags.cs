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
        // If-Match uses strong comparison (RFC 9110 13.1.1): a weak tag never matches.
        var current = Format(version);
        return header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || tag == current);
    }

    /// <summary><c>If-Match: *</c> asks only that the resource exists, not for a version.</summary>
    public static bool IsWildcard(HttpRequest request) => request.Headers.IfMatch.ToString().Trim() == "*";

    /// <summary>
    /// Whether If-None-Match names <paramref name="etag"/> (the response's), by weak comparison
    /// (RFC 9110 13.1.2: W/"1" matches "1"), or is <c>*</c> and the resource exists.
    /// </summary>
    public static bool NoneMatch(HttpRequest request, string etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return false;
        }
        var current = Opaque(etag);
        return request.Headers.IfNoneMatch.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || Opaque(tag) == current);
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    public static void Set(HttpResponse response, uint version) => response.Headers.ETag = Format(version);
}
