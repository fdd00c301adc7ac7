using System.Net.Sockets;
using System.Text;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// One request/response on a HAProxy CLI socket: connect, send one line, shut down the write
/// side, read to EOF. The master CLI keeps a connection open until the client half-closes (it
/// then answers and closes); the worker CLI runs the line and closes. Both therefore end at EOF:
/// no prompt parsing, no guessing when an answer is complete.
/// </summary>
internal static class UnixSocketExchange
{
    public static async Task<string> SendAsync(string socketPath, string line, TimeSpan timeout, TimeProvider time, bool endOnReset, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
        }
        catch (SocketException e)
        {
            throw new HaProxyUnavailableException($"Cannot connect to {socketPath}: {e.SocketErrorCode} ({e.Message}).", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {socketPath} took longer than {timeout.TotalSeconds:0.###} s.");
        }

        var output = new MemoryStream();
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None, deadline.Token);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                output.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            if (!endOnReset)
            {
                throw new HaProxyConnectionLostException($"{socketPath} dropped the connection after \"{line}\" was sent: {e.SocketErrorCode}.", e);
            }
            // "reload" re-executes the master, which drops the connection: that is its answer.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{socketPath} did not answer \"{line}\" within {timeout.TotalSeconds:0.###} s.");
        }
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }
}
