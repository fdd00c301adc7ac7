namespace Lbaas.HaProxy.Stats;

/// <summary>A <c>show stat</c> row's identity: proxy and service (FRONTEND, BACKEND or a server name).</summary>
public readonly record struct StatKey(string Proxy, string Service)
{
    public static StatKey Of(StatRow row) => new(row.ProxyName, row.ServiceName);
}

/// <summary>
/// Turns <c>show stat</c> counters, which restart at zero with every new worker, into totals that
/// only grow. Each row keeps a base: what earlier workers (or earlier lives of a server that was
/// deleted and added again) counted. A new worker pid adds every last value to its base; any
/// counter of a row going down without one (<c>clear counters</c>, a re-added server) means the
/// row started again, and adds all its last values.
/// What an old worker counts after the last read before a reload is not seen: read just before
/// reloading to keep that window small. Not thread-safe: one scraper owns it.
/// </summary>
public sealed class CumulativeCounters
{
    private readonly Dictionary<StatKey, (CounterValues Base, CounterValues Last)> _entries = [];
    private int? _workerPid;

    /// <summary>Workers seen since this instance started, the first included.</summary>
    public int WorkersSeen { get; private set; }

    /// <param name="pid">The pid of the worker that answered <paramref name="rows"/>.</param>
    /// <param name="rows">The worker's <c>show stat</c>.</param>
    /// <param name="retain">Whether to keep the totals of a row the worker no longer has (a backend drained away still counts); defaults to keeping all.</param>
    /// <returns>Cumulative counters of every row the worker has.</returns>
    public IReadOnlyDictionary<StatKey, CounterValues> Update(int pid, IReadOnlyList<StatRow> rows, Func<StatKey, bool>? retain = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_workerPid != pid)
        {
            WorkersSeen++;
            foreach (var (key, entry) in _entries.ToList())
            {
                _entries[key] = (entry.Base.Plus(entry.Last), CounterValues.Zero);
            }
            _workerPid = pid;
        }
        var totals = new Dictionary<StatKey, CounterValues>(rows.Count);
        var seen = new HashSet<StatKey>();
        foreach (var row in rows)
        {
            var key = StatKey.Of(row);
            if (!seen.Add(key))
            {
                continue;
            }
            var raw = CounterValues.From(row);
            var (previousBase, last) = _entries.GetValueOrDefault(key, (CounterValues.Zero, CounterValues.Zero));
            var restarted = CounterValues.All.Any(c => raw[c] < last[c]);
            var newBase = restarted ? previousBase.Plus(last) : previousBase;
            _entries[key] = (newBase, raw);
            totals[key] = newBase.Plus(raw);
        }
        foreach (var (key, entry) in _entries.Where(e => !seen.Contains(e.Key)).ToList())
        {
            if (retain is null || retain(key))
            {
                _entries[key] = (entry.Base.Plus(entry.Last), CounterValues.Zero);
            }
            else
            {
                _entries.Remove(key);
            }
        }
        return totals;
    }

    /// <summary>A row's total as last seen (kept while it is absent from HAProxy and retained); null if never seen.</summary>
    public CounterValues? TotalOf(StatKey key) =>
        _entries.TryGetValue(key, out var entry) ? entry.Base.Plus(entry.Last) : null;
}
