using System.Net;
using System.Net.Sockets;

namespace Lbaas.Testing;

/// <summary>
/// Loopback ports for what a test names before anything listens there (a frontend, a stats page).
/// Below the kernel's ephemeral range (32768+), so an outgoing connection never holds one. Each
/// test process takes a block of its own, held by a lock file the kernel lets go when the process
/// ends, so test projects running side by side never hand out the same port; within a process a
/// port is handed out once, and only while nothing listens on it.
/// </summary>
public static class FreePort
{
    private const int RangeStart = 20_000;
    private const int BlockSize = 2_000;
    private const int Blocks = 6;

    private static readonly Block Reserved = Block.Take();
    private static int _next = Reserved.First - 1;

    public static int Next()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref _next);
            if (port > Reserved.Last)
            {
                throw new InvalidOperationException($"The tests ran out of free ports ({Reserved.First}-{Reserved.Last}).");
            }
            if (IsFree(port))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <param name="Lock">Held open for the life of the process: FileShare.None is an exclusive flock on Linux.</param>
    private sealed record Block(int First, int Last, FileStream? Lock)
    {
        public static Block Take()
        {
            for (var i = 0; i < Blocks; i++)
            {
                try
                {
                    var path = Path.Combine(Path.GetTempPath(), $"lbaas-test-ports-{i}.lock");
                    var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new Block(RangeStart + i * BlockSize, RangeStart + (i + 1) * BlockSize - 1, held);
                }
                catch (IOException)
                {
                    // Another test process has this block.
                }
            }
            // More test processes than blocks: share the whole range from a random start, checked port by port.
            return new Block(RangeStart + Random.Shared.Next(0, Blocks * BlockSize / 2), RangeStart + Blocks * BlockSize - 1, null);
        }
    }
}
