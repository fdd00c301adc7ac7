using System.Net;
using System.Net.Sockets;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// Tries to bind a frontend's address and port the way HAProxy will, and lets go at once.
/// <c>haproxy -c</c> does not see a port another process holds, and a reload that fails on one
/// pauses live traffic for about 2 s; this sees it before the reload.
/// </summary>
internal static class PortProbe
{
    /// <summary>
    /// Null when the endpoint can be bound, else the OS error. The socket keeps .NET's Linux
    /// defaults on purpose: SO_REUSEADDR (set by .NET at bind) as HAProxy does, so a TIME_WAIT
    /// left by a connection our worker served does not count as busy, while any listener does;
    /// and no SO_REUSEPORT (which .NET's <see cref="SocketOptionName.ReuseAddress"/> would add),
    /// so a listener that allows port sharing still counts as busy instead of silently sharing traffic.
    /// </summary>
    public static SocketException? TryBind(ListenEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        for (var port = endpoint.FirstPort; port <= endpoint.LastPort; port++)
        {
            using var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                // HAProxy's "[::]:port" also takes IPv4 on Linux.
                socket.DualMode = true;
            }
            try
            {
                socket.Bind(new IPEndPoint(endpoint.Address, port));
                socket.Listen(1);
            }
            catch (SocketException e)
            {
                return e;
            }
        }
        return null;
    }
}
