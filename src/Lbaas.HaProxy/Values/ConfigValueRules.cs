using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Lbaas.HaProxy.Values;

/// <summary>
/// The strict rules a user value must pass before it may ever reach haproxy.cfg.
/// Each rule admits only characters that cannot end a token, start a comment or
/// open a sample-fetch expression, so a value that passes stays on its own line.
/// </summary>
public static partial class ConfigValueRules
{
    public const int MaxHostNameLength = 253;
    public const int MaxHttpPathLength = 1024;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();

    // RFC 1123 label: letters, digits and inner hyphens, 1-63 characters.
    [GeneratedRegex("^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$", RegexOptions.CultureInvariant)]
    private static partial Regex HostLabelPattern();

    // Visible ASCII without space, quotes, backslash, '#' (comment) and '%' ('%[' is a sample fetch).
    [GeneratedRegex("^/[!$&()*+,\\-./0-9:;=?@A-Z\\[\\]^_`a-z{|}~]*$", RegexOptions.CultureInvariant)]
    private static partial Regex HttpPathPattern();

    [GeneratedRegex("^(?<value>[0-9]{1,9})(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    /// <summary>Load balancer and backend names: <c>^[a-z0-9][a-z0-9._-]{0,62}$</c>.</summary>
    public static bool IsResourceName(string? value) => value is not null && ResourceNamePattern().IsMatch(value);

    /// <summary>An IPv4 or IPv6 literal (no zone id, no brackets).</summary>
    public static bool IsIpLiteral(string? value) =>
        value is not null && !value.Contains('%', StringComparison.Ordinal)
        && IPAddress.TryParse(value, out var address)
        && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || IsDottedQuad(value));

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
        duration = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
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

    private static bool IsDottedQuad(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
