using System.Net;
using System.Net.Sockets;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder to put between the API and PostgreSQL: <see cref="Stop"/> cuts every
/// connection and refuses new ones, like a database that went away; <see cref="Resume"/> brings it back.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _connections = [];
    private TcpListener _listener;
    private CancellationTokenSource _cts = new();

    private TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _cts.Token);
    }

    public int Port { get; }

    public static TcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>A new migrated database with a proxy in front: the connection string leads through the proxy (3 s connect timeout).</summary>
    public static async Task<(TcpProxy Proxy, string ConnectionString)> InFrontOfNewDatabaseAsync()
    {
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync());
        var proxy = Start(direct.Host!, direct.Port);
        var viaProxy = new Npgsql.NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 };
        return (proxy, viaProxy.ConnectionString);
    }

    public void Stop()
    {
        _cts.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
            _connections.Clear();
        }
    }

    public void Resume()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _cts.Token);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _cts.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(server);
            }
            _ = PumpAsync(client, server, ct);
            _ = PumpAsync(server, client, ct);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), ct);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The other side or Stop() closed the connection: nothing to forward any more.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
