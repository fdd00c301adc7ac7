using System.Net;
using System.Net.Sockets;

namespace Lbaas.HaProxy.Tests.Support;

internal static class FreePort
{
    /// <summary>A loopback port the kernel just handed out and released; good enough for a test.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
