namespace Lbaas.Testing;

/// <summary>
/// The real haproxy the tests run: <c>LBAAS_HAPROXY_BINARY</c>, else /usr/sbin/haproxy. A missing
/// binary fails the test loudly: silently skipping would turn the suite green on a machine that
/// cannot prove anything about HAProxy.
/// </summary>
public static class HaProxyBinary
{
    public static string Path => Environment.GetEnvironmentVariable("LBAAS_HAPROXY_BINARY") is { Length: > 0 } path ? path : "/usr/sbin/haproxy";

    public static string Require()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"haproxy is required at {Path} (install HAProxy 2.6, as deploy/local/test.sh does, or set LBAAS_HAPROXY_BINARY); these tests do not skip.");
        }
        return Path;
    }
}
