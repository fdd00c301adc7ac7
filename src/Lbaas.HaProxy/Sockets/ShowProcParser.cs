using System.Globalization;
using System.Text.RegularExpressions;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// Parses <c>show proc</c> as HAProxy 2.6 prints it:
/// <code>
/// #&lt;PID&gt;          &lt;type&gt;          &lt;reloads&gt;       &lt;uptime&gt;        &lt;version&gt;
/// 7838            master          2 [failed: 0]   0d00h01m41s     2.6.12-1+deb12u4
/// # workers
/// 11779           worker          0               0d00h00m01s     2.6.12-1+deb12u4
/// # old workers
/// 7839            worker          2               0d00h01m41s     2.6.12-1+deb12u4
/// # programs
/// </code>
/// </summary>
public static partial class ShowProcParser
{
    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<type>\S+)\s+(?<reloads>\d+)(?:\s+\[failed:\s*(?<failed>\d+)\])?\s+(?<uptime>\S+)(?:\s+(?<version>\S+))?", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessLine();

    [GeneratedRegex(@"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UptimePattern();

    /// <exception cref="FormatException">Not a <c>show proc</c> answer (e.g. an error message).</exception>
    public static ProcessList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        HaProxyProcess? master = null;
        int? failed = null;
        var workers = new List<HaProxyProcess>();
        var oldWorkers = new List<HaProxyProcess>();
        var programs = new List<HaProxyProcess>();
        var section = workers;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("#<", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                section = line.TrimStart('#', ' ') switch
                {
                    "workers" => workers,
                    "old workers" => oldWorkers,
                    "programs" => programs,
                    _ => throw new FormatException($"Unknown show proc section: {line}"),
                };
                continue;
            }
            var match = ProcessLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a show proc line: {line}");
            }
            var process = new HaProxyProcess
            {
                Pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture),
                Type = match.Groups["type"].Value,
                Reloads = int.Parse(match.Groups["reloads"].Value, CultureInfo.InvariantCulture),
                Uptime = ParseUptime(match.Groups["uptime"].Value),
                Version = match.Groups["version"].Value,
            };
            if (master is null && process.Type == "master")
            {
                master = process;
                failed = match.Groups["failed"].Success ? int.Parse(match.Groups["failed"].Value, CultureInfo.InvariantCulture) : null;
            }
            else
            {
                section.Add(process);
            }
        }
        return master is null
            ? throw new FormatException("show proc listed no master: " + text.Trim())
            : new ProcessList { Master = master, FailedReloads = failed, Workers = workers, OldWorkers = oldWorkers, Programs = programs };
    }

    /// <summary>HAProxy's uptime, e.g. <c>0d00h01m41s</c>.</summary>
    public static TimeSpan ParseUptime(string value)
    {
        var match = UptimePattern().Match(value);
        if (!match.Success || value.Length == 0)
        {
            throw new FormatException($"Not an uptime: {value}");
        }
        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part("d"), Part("h"), Part("m"), Part("s"));
    }
}
