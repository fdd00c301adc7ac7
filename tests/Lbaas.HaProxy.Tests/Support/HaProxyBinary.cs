namespace Lbaas.HaProxy.Tests.Support;

/// <summary>
/// The real haproxy these tests run. A missing binary fails the test loudly: silently skipping
/// would turn the suite green on a machine that cannot prove anything about HAProxy.
/// </summary>
internal static class HaProxyBinary
{
    public static string Path => Environment.GetEnvironmentVariable("LBAAS_HAPROXY_BINARY") is { Length: > 0 } path ? path : "/usr/sbin/haproxy";

    public static string Require()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"haproxy is required at {Path} (install HAProxy 2.6 or set LBAAS_HAPROXY_BINARY); these tests do not skip.");
        }
        return Path;
    }
}
