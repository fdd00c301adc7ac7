namespace Lbaas.HaProxy.Stats;

/// <summary>The <c>show stat</c> columns that only ever grow while a worker lives, and restart at zero with the next one.</summary>
public enum Counter
{
    Sessions,
    Requests,
    BytesIn,
    BytesOut,
    Http1xx,
    Http2xx,
    Http3xx,
    Http4xx,
    Http5xx,
    HttpOther,
    ConnectionErrors,
    ResponseErrors,
    RequestErrors,
    DeniedRequests,
    DeniedResponses,
    ClientAborts,
    ServerAborts,
    Retries,
    Redispatches,
    LbSelections,
    CheckFailures,
    CheckDowns,
    DowntimeSeconds,
}

/// <summary>One value per <see cref="Counter"/>; immutable.</summary>
public sealed class CounterValues
{
    public static readonly IReadOnlyList<Counter> All = Enum.GetValues<Counter>();
    public static readonly int Count = All.Count;
    public static readonly CounterValues Zero = new(new long[Count]);

    private readonly long[] _values;

    private CounterValues(long[] values) => _values = values;

    public long this[Counter counter] => _values[(int)counter];

    /// <summary>The row's counters; a column HAProxy leaves empty counts as zero.</summary>
    public static CounterValues From(StatRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long?[] read =
        [
            row.TotalSessions, row.RequestsTotal, row.BytesIn, row.BytesOut,
            row.Http1xx, row.Http2xx, row.Http3xx, row.Http4xx, row.Http5xx, row.HttpOther,
            row.ConnectionErrors, row.ResponseErrors, row.RequestErrors, row.DeniedRequests, row.DeniedResponses,
            row.ClientAborts, row.ServerAborts, row.Retries, row.Redispatches, row.LbSelections,
            row.CheckFailures, row.CheckDowns, row.DowntimeSeconds,
        ];
        var values = new long[Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read[i] ?? 0;
        }
        return new CounterValues(values);
    }

    public static CounterValues Of(Func<Counter, long> value)
    {
        var values = new long[Count];
        foreach (var counter in All)
        {
            values[(int)counter] = value(counter);
        }
        return new CounterValues(values);
    }

    public CounterValues Plus(CounterValues other) => Of(c => this[c] + other[c]);

    public long Responses => this[Counter.Http1xx] + this[Counter.Http2xx] + this[Counter.Http3xx] + this[Counter.Http4xx] + this[Counter.Http5xx] + this[Counter.HttpOther];
}
