using System.Globalization;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// HAProxy needs two descriptors per connection (client and server side), one per listener, one
/// per server for its health checks, and some of its own. A <c>maxconn</c> that makes this exceed
/// the descriptor limit passes <c>haproxy -c</c> and then fails to load, so it is sized from the
/// limit and the size of the configuration. HAProxy is started from the same environment as the
/// API, so our own hard limit is the one it gets.
/// </summary>
public static class DescriptorLimit
{
    private const int Reserve = 1_000;
    private const int Floor = 256;
    private const int Ceiling = 100_000;

    /// <summary>
    /// Listeners and servers are budgeted in steps, so that adding or removing a server (the
    /// runtime path) does not change <c>maxconn</c>, which would need a reload.
    /// </summary>
    private const int Step = 1_000;

    /// <summary>The hard "Max open files" limit of this process.</summary>
    public static long Current { get; } = ReadHardLimit("/proc/self/limits");

    public static int MaxConnections(long hardLimit, int listeners, int servers) =>
        (int)Math.Clamp((hardLimit - Reserve - RoundUp(listeners) - 2L * RoundUp(servers)) / 2, Floor, Ceiling);

    private static long RoundUp(int count) => (count / Step + 1L) * Step;

    /// <summary>The hard "Max open files" limit in a /proc limits file, or 4096 when it cannot be read.</summary>
    public static long ReadHardLimit(string limitsFile)
    {
        if (!File.Exists(limitsFile))
        {
            return 4096;
        }
        var line = File.ReadLines(limitsFile).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: >= 2 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hard)
            ? hard
            : fields is { Length: >= 2 } && fields[1] == "unlimited" ? 2L * Ceiling + Reserve : 4096;
    }
}
