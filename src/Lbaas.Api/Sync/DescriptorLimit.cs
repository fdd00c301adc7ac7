using System.Globalization;

namespace Lbaas.Api.Sync;

/// <summary>
/// HAProxy needs about two descriptors per connection (client and server side) plus a few of its
/// own; a <c>maxconn</c> above what the descriptor limit allows passes <c>haproxy -c</c> and then
/// fails to load. HAProxy is started from the same environment as the API, so our own hard limit
/// is the one it gets.
/// </summary>
public static class DescriptorLimit
{
    private const int Reserve = 1_000;
    private const int Ceiling = 100_000;

    public static int SafeMaxConnections(string limitsFile = "/proc/self/limits")
    {
        var hard = ReadHardLimit(limitsFile);
        return Math.Clamp((int)Math.Min((hard - Reserve) / 2, Ceiling), 256, Ceiling);
    }

    /// <summary>The hard "Max open files" limit, or 4096 when it cannot be read.</summary>
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
            : fields is { Length: >= 2 } && fields[1] == "unlimited" ? Ceiling * 2L + Reserve : 4096;
    }
}
