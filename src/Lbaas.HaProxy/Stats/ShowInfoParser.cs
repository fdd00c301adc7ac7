using System.Globalization;

namespace Lbaas.HaProxy.Stats;

/// <summary>Parses <c>show info</c>'s <c>Name: value</c> lines.</summary>
public static class ShowInfoParser
{
    /// <exception cref="FormatException">No <c>Pid:</c> line: this is not <c>show info</c> output.</exception>
    public static ProcessInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon], line[(colon + 1)..].Trim());
            }
        }
        long Number(string name) => fields.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (!fields.ContainsKey("Pid"))
        {
            throw new FormatException("show info output has no 'Pid:' line: " + text.Trim());
        }
        return new ProcessInfo
        {
            Pid = (int)Number("Pid"),
            Version = fields.GetValueOrDefault("Version", ""),
            UptimeSeconds = Number("Uptime_sec"),
            CurrentConnections = Number("CurrConns"),
            MaxConnections = Number("Maxconn"),
            CumulativeConnections = Number("CumConns"),
            CumulativeRequests = Number("CumReq"),
        };
    }
}
