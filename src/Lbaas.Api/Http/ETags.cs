using System.Globalization;
using System.Security.Cryptography;

namespace Lbaas.Api.Http;

/// <summary>
/// ETags are the row's <c>xmin</c>, quoted: <c>"123"</c> on writes. A GET (or HEAD) adds a digest
/// of what it answered, <c>"123.1f2e…"</c>: statuses and health live in tables of their own and
/// change the body without touching the row, so If-None-Match must see them (no 304 for a load
/// balancer that went ACTIVE meanwhile), while If-Match compares only the row's version (a status
/// change must not fail a client's update).
/// </summary>
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
        var read = current[..^1] + ".";
        return header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || tag == current || tag.StartsWith(read, StringComparison.Ordinal) && tag.EndsWith('"'));
    }

    /// <summary>The tag of a GET's answer: the row's tag <paramref name="rowTag"/> with a digest of <paramref name="body"/>.</summary>
    public static string OfRepresentation(string rowTag, ReadOnlySpan<byte> body) =>
        $"{rowTag[..^1]}.{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"";

    /// <summary>A row's tag as <see cref="Format"/> writes it (not yet with a digest).</summary>
    public static bool IsRowTag(string tag) => tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && tag[1..^1].All(char.IsAsciiDigit);

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

    /// <summary>The resource is gone (a 204 after DELETE): no ETag, whatever the commit set.</summary>
    public static void Clear(HttpResponse response) => response.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.ETag);
}
