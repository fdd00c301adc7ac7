using System.Net.Sockets;

namespace Lbaas.HaProxy.Sockets;

/// <summary>What a read over HAProxy's runtime socket throws when HAProxy cannot be asked right now.</summary>
public static class HaProxyErrors
{
    /// <summary>
    /// The socket refused or dropped the connection, timed out, HAProxy refused the command, or the
    /// answer was not what the command prints (a worker going away mid-reply): try again later.
    /// </summary>
    public static bool IsUnreachable(Exception e) =>
        e is IOException or TimeoutException or SocketException or RuntimeCommandException or HaProxyConnectionLostException or FormatException;
}
