using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lbaas.HaProxy.Tests.Support;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 answering every request with its own name, so a test can see
/// which server HAProxy chose. Health checks (<see cref="HealthPath"/>) are answered but not counted.
/// It closes every connection after one response unless asked to keep it alive, as real servers
/// do: HAProxy then keeps idle server-side connections, which matter when a server is deleted.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    public const string HealthPath = "/health";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _keepAlive;
    private readonly Task _loop;
    private int _requests;

    /// <param name="name">What it answers.</param>
    /// <param name="port">A port to listen on (e.g. one a server pointed at while nothing listened); 0 for any.</param>
    /// <param name="keepAlive">Answer HTTP/1.1 keep-alive instead of closing after each response.</param>
    public TestBackend(string name, int port = 0, bool keepAlive = false)
    {
        Name = name;
        _keepAlive = keepAlive;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptLoop();
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Requests other than health checks.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Request heads received, health checks excluded.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                do
                {
                    var head = await ReadHead(stream);
                    if (head is null)
                    {
                        return;
                    }
                    if (!head.Contains(" " + HealthPath + " ", StringComparison.Ordinal))
                    {
                        Heads.Enqueue(head);
                        Interlocked.Increment(ref _requests);
                    }
                    var body = Encoding.ASCII.GetBytes(Name);
                    var connection = _keepAlive ? "" : "Connection: close\r\n";
                    var response = Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n{connection}\r\n");
                    await stream.WriteAsync(response, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                while (_keepAlive);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A TCP health check connects and leaves without a word: nothing to answer.
            }
        }
    }

    private async Task<string?> ReadHead(NetworkStream stream)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0)
            {
                return null;
            }
            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }
        return null;
    }
}
