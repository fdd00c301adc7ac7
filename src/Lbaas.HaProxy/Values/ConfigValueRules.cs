using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Lbaas.HaProxy.Values;

/// <summary>
/// The strict rules a user value must pass before it may ever reach haproxy.cfg.
/// Each rule admits only characters that cannot end a token, start a comment or
/// open a sample-fetch expression, so a value that passes stays on its own line.
/// Patterns end in <c>\z</c>, not <c>$</c>: in .NET <c>$</c> also matches before a final newline.
/// </summary>
public static partial class ConfigValueRules
{
    public const int MaxHostNameLength = 253;
    public const int MaxHttpPathLength = 1024;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();

    // RFC 1123 label: letters, digits and inner hyphens, 1-63 characters.
    [GeneratedRegex("^(?!-)[A-Za-z0-9-]{1,63}(?<!-)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostLabelPattern();

    // Visible ASCII without space, quotes, backslash, '#' (comment) and '%' ('%[' is a sample fetch).
    [GeneratedRegex("^/[!$&()*+,\\-./0-9:;=?@A-Z\\[\\]^_`a-z{|}~]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HttpPathPattern();

    [GeneratedRegex("^(?<value>[0-9]{1,9})(?<unit>ms|s|m|h)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>Load balancer and backend names: <c>^[a-z0-9][a-z0-9._-]{0,62}$</c>.</summary>
    public static bool IsResourceName(string? value) => value is not null && ResourceNamePattern().IsMatch(value);

    /// <summary>
    /// An IPv4 literal in strict dotted-quad form (no leading zeros, which some parsers read as
    /// octal) or an IPv6 literal without brackets, port or zone id.
    /// </summary>
    public static bool IsIpLiteral(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                && IPAddress.TryParse(value, out var v6)
                && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(IsOctet);
    }

    /// <summary>An IP literal or an RFC 1123 host name.</summary>
    public static bool IsHost(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxHostNameLength)
        {
            return false;
        }
        if (IsIpLiteral(value))
        {
            return true;
        }
        var name = value.EndsWith('.') ? value[..^1] : value;
        var labels = name.Split('.');
        // A name made only of digits and dots is a malformed address, not a host name.
        return labels.All(label => HostLabelPattern().IsMatch(label))
            && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>An absolute HTTP path (and optional query) that is safe on a config line.</summary>
    public static bool IsHttpPath(string? value) =>
        value is not null && value.Length <= MaxHttpPathLength && HttpPathPattern().IsMatch(value);

    /// <summary>
    /// Status codes in HAProxy's <c>http-check expect status</c> syntax: codes and ranges
    /// separated by commas, like <c>200-399</c> or <c>200,204</c>; every code 100-599.
    /// </summary>
    public static bool IsStatusList(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 128)
        {
            return false;
        }
        foreach (var part in value.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || !bounds.All(IsStatusCode))
            {
                return false;
            }
            if (bounds.Length == 2 && int.Parse(bounds[0], CultureInfo.InvariantCulture) > int.Parse(bounds[1], CultureInfo.InvariantCulture))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Parses a duration such as <c>500ms</c>, <c>5s</c>, <c>2m</c> or <c>1h</c>.</summary>
    public static bool TryParseDuration(string? value, out TimeSpan duration)
    {
        duration = default;
        var match = value is null ? null : DurationPattern().Match(value);
        if (match is null || !match.Success)
        {
            return false;
        }
        var amount = long.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var milliseconds = amount * match.Groups["unit"].Value switch
        {
            "ms" => 1L,
            "s" => 1000L,
            "m" => 60_000L,
            _ => 3_600_000L,
        };
        // HAProxy keeps timers in signed 32-bit milliseconds (about 24.8 days).
        if (milliseconds > int.MaxValue)
        {
            return false;
        }
        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>The shortest exact spelling of a duration in HAProxy's units.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        return ms switch
        {
            _ when ms != 0 && ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
            _ when ms != 0 && ms % 60_000 == 0 => $"{ms / 60_000}m",
            _ when ms % 1000 == 0 => $"{ms / 1000}s",
            _ => $"{ms}ms",
        };
    }

    private static bool IsStatusCode(string value) =>
        value.Length == 3 && value.All(char.IsAsciiDigit) && value[0] is >= '1' and <= '5';

    private static bool IsOctet(string part) =>
        part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0')
        && int.Parse(part, CultureInfo.InvariantCulture) <= 255;

    /// <summary><c>host:port</c>; IPv6 literals need brackets before the port (HAProxy 2.6 reads <c>[::1]:80</c>).</summary>
    public static string FormatEndpoint(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);
}
