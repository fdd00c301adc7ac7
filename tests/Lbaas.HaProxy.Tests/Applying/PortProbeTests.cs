using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Tests.Support;

namespace Lbaas.HaProxy.Tests.Applying;

public sealed class PortProbeTests
{
    [Fact]
    public void TryBind_FreePort_Null()
    {
        Assert.Null(PortProbe.TryBind(new ListenEndpoint(IPAddress.Loopback, FreePort.Next())));
    }

    [Fact]
    public void TryBind_PortAnotherProcessListensOn_AddressAlreadyInUse()
    {
        using var busy = Tcp.Occupy();

        var error = PortProbe.TryBind(new ListenEndpoint(IPAddress.Loopback, Tcp.PortOf(busy)));

        Assert.Equal(SocketError.AddressAlreadyInUse, error?.SocketErrorCode);
    }

    [Fact]
    public void TryBind_ListenerThatAllowsPortSharing_StillInUse()
    {
        // .NET's ReuseAddress sets SO_REUSEPORT too on Linux: HAProxy could then share the port
        // and split its traffic with this listener. The probe must not join in.
        using var sharing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sharing.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        sharing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sharing.Listen();

        var error = PortProbe.TryBind(new ListenEndpoint(IPAddress.Loopback, ((IPEndPoint)sharing.LocalEndPoint!).Port));

        Assert.Equal(SocketError.AddressAlreadyInUse, error?.SocketErrorCode);
    }

    [Fact]
    public void TryBind_WildcardOverAnotherProcessesLoopbackListener_InUse()
    {
        using var busy = Tcp.Occupy();

        var error = PortProbe.TryBind(new ListenEndpoint(IPAddress.IPv6Any, Tcp.PortOf(busy)));

        Assert.Equal(SocketError.AddressAlreadyInUse, error?.SocketErrorCode);
    }

    [Fact]
    public void TryBind_AddressNotOnThisHost_AddressNotAvailable()
    {
        // 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned to an interface.
        var error = PortProbe.TryBind(new ListenEndpoint(IPAddress.Parse("192.0.2.1"), FreePort.Next()));

        Assert.Equal(SocketError.AddressNotAvailable, error?.SocketErrorCode);
    }

    [Fact]
    public async Task TryBind_PortWithTimeWaitLeftByAServedConnection_Null()
    {
        // A frontend that closed its side first leaves TIME_WAIT on its own port; HAProxy binds
        // with SO_REUSEADDR and takes the port anyway, so the probe must not call it busy.
        int port;
        using (var listener = Tcp.Occupy())
        {
            port = Tcp.PortOf(listener);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            using (var served = await listener.AcceptTcpClientAsync())
            {
                served.Client.Shutdown(SocketShutdown.Both);
            }
            // The client reads the end of the stream once the server's FIN is in: then it closes too.
            Assert.Equal(0, await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        }
        await Eventually.Until(
            () => Task.FromResult(IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
                .Any(c => c.LocalEndPoint.Port == port && c.State == TcpState.TimeWait)),
            timeWait => timeWait,
            $"TIME_WAIT on port {port}");

        Assert.Null(PortProbe.TryBind(new ListenEndpoint(IPAddress.Loopback, port)));
    }
}
