namespace Lbaas.Api.Tests.Infrastructure;

public static class TestData
{
    // Each API under test allocates omitted ports from its own block of 100 in 10000-19999, so
    // parallel test classes never compete for the same port in HAProxy.
    private static int _nextBlock = -1;

    /// <summary>A name no other test uses, valid as a load balancer name.</summary>
    public static string Unique(string prefix = "lb") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>First and last port of a block no other API in this test run allocates from.</summary>
    public static (int First, int Last) PortBlock()
    {
        var block = Interlocked.Increment(ref _nextBlock);
        return block < 100 ? (10000 + block * 100, 10000 + block * 100 + 99) : throw new InvalidOperationException("Too many APIs in one test run.");
    }
}
