using System.Globalization;
using System.Text;

namespace Lbaas.HaProxy.Stats;

/// <summary>
/// Parses <c>show stat</c> CSV by column name from its <c># pxname,svname,...</c> header, so new
/// columns in later HAProxy versions do not shift anything.
/// </summary>
public static class ShowStatParser
{
    /// <exception cref="FormatException">No <c># pxname,...</c> header.</exception>
    public static IReadOnlyList<StatRow> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            ?? throw new FormatException("show stat output has no '# pxname,...' header: " + csv.Trim());
        var columns = SplitCsv(header[2..])
            .Select((name, index) => (name, index))
            .Where(c => c.name.Length > 0)
            .GroupBy(c => c.name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
        // A row has some 140 columns and a scrape of 10,000 servers as many rows: only the
        // columns read below are made into strings, from the field bounds of each line.
        var bounds = new List<Range>(columns.Count + 8);
        return lines.Where(l => !l.StartsWith('#')).Select(l => Row(l, FieldBounds(l, bounds), columns)).ToList();
    }

    private static StatRow Row(string line, List<Range> fields, Dictionary<string, int> columns)
    {
        ReadOnlySpan<char> Raw(string column) => columns.TryGetValue(column, out var i) && i < fields.Count ? line.AsSpan(fields[i]) : [];
        string Text(string column)
        {
            var raw = Raw(column);
            return raw.IsEmpty ? "" : raw[0] == '"' ? Unquote(raw) : raw.ToString();
        }
        long? Number(string column) => long.TryParse(Raw(column), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new StatRow
        {
            ProxyName = Text("pxname"),
            ServiceName = Text("svname"),
            Type = (StatType)(Number("type") ?? 0),
            Status = Text("status"),
            Weight = Number("weight"),
            CurrentQueue = Number("qcur"),
            CurrentSessions = Number("scur"),
            MaxSessions = Number("smax"),
            TotalSessions = Number("stot"),
            BytesIn = Number("bin"),
            BytesOut = Number("bout"),
            SessionLimit = Number("slim"),
            SessionRate = Number("rate"),
            RequestRate = Number("req_rate"),
            ConnectionsTotal = Number("conn_tot"),
            LbSelections = Number("lbtot"),
            DeniedRequests = Number("dreq"),
            DeniedResponses = Number("dresp"),
            RequestErrors = Number("ereq"),
            ConnectionErrors = Number("econ"),
            ResponseErrors = Number("eresp"),
            Retries = Number("wretr"),
            Redispatches = Number("wredis"),
            ClientAborts = Number("cli_abrt"),
            ServerAborts = Number("srv_abrt"),
            Active = Number("act"),
            Backup = Number("bck"),
            CheckFailures = Number("chkfail"),
            CheckDowns = Number("chkdown"),
            LastChangeSeconds = Number("lastchg"),
            DowntimeSeconds = Number("downtime"),
            Http1xx = Number("hrsp_1xx"),
            Http2xx = Number("hrsp_2xx"),
            Http3xx = Number("hrsp_3xx"),
            Http4xx = Number("hrsp_4xx"),
            Http5xx = Number("hrsp_5xx"),
            HttpOther = Number("hrsp_other"),
            RequestsTotal = Number("req_tot"),
            CheckStatus = Text("check_status"),
            CheckCode = Number("check_code"),
            CheckDescription = Text("check_desc"),
            CheckDurationMs = Number("check_duration"),
            LastCheck = Text("last_chk"),
            QueueTimeMs = Number("qtime"),
            ConnectTimeMs = Number("ctime"),
            ResponseTimeMs = Number("rtime"),
            TotalTimeMs = Number("ttime"),
            Address = Text("addr"),
            Mode = Text("mode"),
            Algorithm = Text("algo"),
        };
    }

    /// <summary>Where each field of a line is (quotes included); reuses <paramref name="bounds"/>.</summary>
    private static List<Range> FieldBounds(string line, List<Range> bounds)
    {
        bounds.Clear();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == ',' && !quoted)
            {
                bounds.Add(start..i);
                start = i + 1;
            }
        }
        bounds.Add(start..line.Length);
        return bounds;
    }

    private static string Unquote(ReadOnlySpan<char> field) => SplitCsv(field.ToString())[0];

    /// <summary>HAProxy quotes a field holding a comma or a quote, doubling inner quotes (RFC 4180).</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}
