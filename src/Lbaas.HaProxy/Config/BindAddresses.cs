using System.Net;
using System.Net.Sockets;

namespace Lbaas.HaProxy.Config;

/// <summary>
/// When two binds on the same port compete: the same address, or a wildcard covering the other.
/// "0.0.0.0" covers every IPv4 address; "::" covers everything, since on Linux HAProxy binds it
/// dual-stack (bindv6only=0). The API's conflict check, the renderer and the port probe share it.
/// </summary>
public static class BindAddresses
{
    public static bool Overlap(IPAddress a, IPAddress b) => a.Equals(b) || Covers(a, b) || Covers(b, a);

    /// <summary>As <see cref="Overlap(IPAddress, IPAddress)"/>; text that is not an IP literal overlaps only itself.</summary>
    public static bool Overlap(string a, string b) =>
        IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y)
            ? Overlap(x, y)
            : string.Equals(a, b, StringComparison.Ordinal);

    private static bool Covers(IPAddress wildcard, IPAddress address) =>
        wildcard.Equals(IPAddress.IPv6Any) || wildcard.Equals(IPAddress.Any) && address.AddressFamily == AddressFamily.InterNetwork;
}
