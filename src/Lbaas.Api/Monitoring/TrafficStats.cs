using System.Text.Json.Serialization;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// Traffic of a load balancer (its frontend: what clients saw) or of one backend. Totals are
/// cumulative across HAProxy reloads; per-second rates and the error rate cover the last scrape window.
/// </summary>
/// <param name="RequestsTotal">HTTP requests; sessions for tcp load balancers.</param>
/// <param name="RequestsPerSecond">Over the last scrape window; null before there are two scrapes.</param>
/// <param name="CurrentSessions">Sessions open now.</param>
/// <param name="MaxSessions">Most sessions open at once, since the current HAProxy worker started.</param>
/// <param name="SessionsTotal">Sessions (connections) since counting began.</param>
/// <param name="BytesIn">Bytes received from clients.</param>
/// <param name="BytesOut">Bytes sent to clients.</param>
/// <param name="Responses">HTTP responses by status class.</param>
/// <param name="ErrorRate">Share of the last window's responses that were 5xx (0-1); null when there were none.</param>
/// <param name="AverageResponseTimeMs">HAProxy's average over the last 1024 requests: time to the first byte of the server's response.</param>
/// <param name="AverageQueueTimeMs">Average time in the queue waiting for a connection slot, over the last 1024 requests.</param>
/// <param name="AverageConnectTimeMs">Average time to connect to the server, over the last 1024 requests.</param>
/// <param name="AverageTotalTimeMs">Average total session time, over the last 1024 requests.</param>
/// <param name="ConnectionErrors">Failed connections to servers.</param>
/// <param name="ResponseErrors">Responses that failed (server closed, timed out, invalid).</param>
public sealed record TrafficStats(
    long RequestsTotal,
    double? RequestsPerSecond,
    long CurrentSessions,
    long MaxSessions,
    long SessionsTotal,
    long BytesIn,
    long BytesOut,
    ResponseClasses Responses,
    double? ErrorRate,
    long? AverageResponseTimeMs,
    long? AverageQueueTimeMs,
    long? AverageConnectTimeMs,
    long? AverageTotalTimeMs,
    long ConnectionErrors,
    long ResponseErrors)
{
    public static readonly TrafficStats Empty = new(0, null, 0, 0, 0, 0, 0, ResponseClasses.From(CounterValues.Zero), null, null, null, null, null, 0, 0);

    /// <param name="counted">The row whose counters count (a frontend for a load balancer, a server for a backend).</param>
    /// <param name="timed">The row whose average times count (the backend proxy for a load balancer).</param>
    /// <param name="snapshot">The scrape.</param>
    public static TrafficStats From(StatRow? counted, StatRow? timed, HaProxySnapshot snapshot)
    {
        if (counted is null)
        {
            return Empty;
        }
        var key = StatKey.Of(counted);
        var totals = snapshot.TotalOf(key);
        var growth = snapshot.GrowthOf(key);
        var tcp = counted.Mode == "tcp";
        var requests = tcp ? Counter.Sessions : Counter.Requests;
        return new TrafficStats(
            totals[requests],
            snapshot.PerSecond(key, requests) is { } rate ? Math.Round(rate, 2) : null,
            counted.CurrentSessions ?? 0,
            counted.MaxSessions ?? 0,
            totals[Counter.Sessions],
            totals[Counter.BytesIn],
            totals[Counter.BytesOut],
            ResponseClasses.From(totals),
            growth.Responses > 0 ? Math.Round((double)growth[Counter.Http5xx] / growth.Responses, 4) : null,
            (timed ?? counted).ResponseTimeMs,
            (timed ?? counted).QueueTimeMs,
            (timed ?? counted).ConnectTimeMs,
            (timed ?? counted).TotalTimeMs,
            totals[Counter.ConnectionErrors],
            totals[Counter.ResponseErrors]);
    }

    /// <summary>Sums load balancers' traffic; averages are weighted by requests.</summary>
    public static TrafficStats Sum(IReadOnlyList<TrafficStats> all)
    {
        if (all.Count == 0)
        {
            return Empty;
        }
        long? Weighted(Func<TrafficStats, long?> average)
        {
            var timed = all.Where(s => average(s) is not null && s.RequestsTotal > 0).ToList();
            var weight = timed.Sum(s => s.RequestsTotal);
            return weight == 0 ? null : (long)Math.Round(timed.Sum(s => (double)average(s)!.Value * s.RequestsTotal) / weight);
        }
        var rates = all.Where(s => s.RequestsPerSecond is not null).ToList();
        var responses = ResponseClasses.Sum(all.Select(s => s.Responses));
        return new TrafficStats(
            all.Sum(s => s.RequestsTotal),
            rates.Count == 0 ? null : Math.Round(rates.Sum(s => s.RequestsPerSecond!.Value), 2),
            all.Sum(s => s.CurrentSessions),
            all.Sum(s => s.MaxSessions),
            all.Sum(s => s.SessionsTotal),
            all.Sum(s => s.BytesIn),
            all.Sum(s => s.BytesOut),
            responses,
            WeightedErrorRate(all),
            Weighted(s => s.AverageResponseTimeMs),
            Weighted(s => s.AverageQueueTimeMs),
            Weighted(s => s.AverageConnectTimeMs),
            Weighted(s => s.AverageTotalTimeMs),
            all.Sum(s => s.ConnectionErrors),
            all.Sum(s => s.ResponseErrors));
    }

    /// <summary>Error rates weighted by each one's request rate: the share of all recent responses that were 5xx.</summary>
    private static double? WeightedErrorRate(IReadOnlyList<TrafficStats> all)
    {
        var rated = all.Where(s => s.ErrorRate is not null && s.RequestsPerSecond is > 0).ToList();
        var weight = rated.Sum(s => s.RequestsPerSecond!.Value);
        return weight == 0 ? null : Math.Round(rated.Sum(s => s.ErrorRate!.Value * s.RequestsPerSecond!.Value) / weight, 4);
    }
}

/// <summary>HTTP responses by status class, cumulative.</summary>
public sealed record ResponseClasses(
    [property: JsonPropertyName("1xx")] long Informational,
    [property: JsonPropertyName("2xx")] long Success,
    [property: JsonPropertyName("3xx")] long Redirection,
    [property: JsonPropertyName("4xx")] long ClientError,
    [property: JsonPropertyName("5xx")] long ServerError,
    [property: JsonPropertyName("other")] long Other)
{
    public static ResponseClasses From(CounterValues c) =>
        new(c[Counter.Http1xx], c[Counter.Http2xx], c[Counter.Http3xx], c[Counter.Http4xx], c[Counter.Http5xx], c[Counter.HttpOther]);

    public static ResponseClasses Sum(IEnumerable<ResponseClasses> all)
    {
        var list = all.ToList();
        return new(list.Sum(r => r.Informational), list.Sum(r => r.Success), list.Sum(r => r.Redirection),
            list.Sum(r => r.ClientError), list.Sum(r => r.ServerError), list.Sum(r => r.Other));
    }
}
