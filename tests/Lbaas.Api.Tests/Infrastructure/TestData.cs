using System.Net;
using System.Net.Sockets;

namespace Lbaas.Api.Tests.Infrastructure;

public static class TestData
{
    // Frontend ports named by tests: unique in this process and free on this machine. Below the
    // kernel's ephemeral range (32768+) so an outgoing connection never holds one of them.
    private static int _nextPort = 20000 + Random.Shared.Next(0, 4000);

    // Each API under test allocates omitted ports from its own block of 100 in 10000-19999, so
    // parallel test classes never compete for the same port in HAProxy.
    private static int _nextBlock = -1;

    /// <summary>A name no other test uses, valid as a load balancer name.</summary>
    public static string Unique(string prefix = "lb") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>A frontend port no other test in this run uses, and that nothing listens on now.</summary>
    public static int Port()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref _nextPort);
            if (port > 32000)
            {
                throw new InvalidOperationException("The tests ran out of distinct frontend ports.");
            }
            if (IsFree(port))
            {
                return port;
            }
        }
    }

    /// <summary>First and last port of a block no other API in this test run allocates from.</summary>
    public static (int First, int Last) PortBlock()
    {
        var block = Interlocked.Increment(ref _nextBlock);
        return block < 100 ? (10000 + block * 100, 10000 + block * 100 + 99) : throw new InvalidOperationException("Too many APIs in one test run.");
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

    /// <summary>The checkout the tests run from: the directory above the test output that holds Lbaas.sln.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lbaas.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Lbaas.sln not found above " + AppContext.BaseDirectory);
    }
}
