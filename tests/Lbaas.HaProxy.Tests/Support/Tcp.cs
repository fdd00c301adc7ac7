using System.Net;
using System.Net.Sockets;

namespace Lbaas.HaProxy.Tests.Support;

internal static class Tcp
{
    /// <summary>True when nothing listens on the loopback port any more (the connection is refused).</summary>
    public static async Task<bool> RefusesAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    /// <summary>A loopback listener another process would hold: the port HAProxy must not be asked to bind.</summary>
    public static TcpListener Occupy()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
