using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Applying;

/// <summary>A TCP address and port range HAProxy listens on, as read from a <c>bind</c> line or a model.</summary>
internal sealed partial record ListenEndpoint(IPAddress Address, int FirstPort, int LastPort)
{
    [GeneratedRegex(@"^\s*bind\s+(?<addresses>\S+)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex BindLine();

    public ListenEndpoint(IPAddress address, int port)
        : this(address, port, port)
    {
    }

    /// <summary>
    /// Every TCP endpoint bound in a configuration's text, whoever wrote its templates: the file on
    /// disk is what HAProxy runs, so these are the ports our own worker already holds.
    /// Unix sockets, inherited descriptors and names that are not IP literals are left out.
    /// </summary>
    public static IReadOnlyList<ListenEndpoint> FromConfigText(string text) =>
        BindLine().Matches(text)
            .SelectMany(m => m.Groups["addresses"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(Parse)
            .OfType<ListenEndpoint>()
            .ToList();

    /// <summary>One item of a bind line: <c>1.2.3.4:80</c>, <c>[::1]:80</c>, <c>:80</c>, <c>*:80-81</c>, <c>ipv6@:80</c>.</summary>
    public static ListenEndpoint? Parse(string item)
    {
        var ipv6 = false;
        var at = item.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var family = item[..at];
            if (family is not ("ipv4" or "ipv6" or "tcp" or "tcp4" or "tcp6"))
            {
                return null;
            }
            ipv6 = family is "ipv6" or "tcp6";
            item = item[(at + 1)..];
        }
        var colon = item.LastIndexOf(':');
        if (colon < 0)
        {
            return null;
        }
        var host = item[..colon].Trim('[', ']');
        var ports = item[(colon + 1)..].Split('-');
        if (ports.Length > 2 || !TryPort(ports[0], out var first) || !TryPort(ports[^1], out var last) || last < first)
        {
            return null;
        }
        IPAddress? address = host is "" or "*" ? (ipv6 ? IPAddress.IPv6Any : IPAddress.Any) : null;
        return address is not null || IPAddress.TryParse(host, out address) ? new ListenEndpoint(address, first, last) : null;
    }

    /// <summary>
    /// Whether two binds compete for the same port: same address, or a wildcard of the same family,
    /// or "::" which on Linux also takes IPv4 (bindv6only=0, as HAProxy binds it).
    /// </summary>
    public bool Overlaps(ListenEndpoint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (FirstPort > other.LastPort || other.FirstPort > LastPort)
        {
            return false;
        }
        return BindAddresses.Overlap(Address, other.Address);
    }

    public override string ToString()
    {
        var host = Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        var port = FirstPort.ToString(CultureInfo.InvariantCulture);
        return FirstPort == LastPort ? $"{host}:{port}" : $"{host}:{port}-{LastPort.ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
