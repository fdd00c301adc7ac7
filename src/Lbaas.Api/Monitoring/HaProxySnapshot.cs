using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// One scrape of HAProxy: the worker's <c>show info</c>, its <c>show stat</c> rows, each row's
/// counters made cumulative across reloads, and how much they grew since the previous scrape
/// (for per-second rates and recent error rates). Immutable; replaced whole by the next scrape.
/// </summary>
public sealed record HaProxySnapshot(
    DateTimeOffset At,
    ProcessInfo Info,
    IReadOnlyDictionary<StatKey, StatRow> Rows,
    IReadOnlyDictionary<StatKey, CounterValues> Totals,
    IReadOnlyDictionary<StatKey, CounterValues> Growth,
    TimeSpan Window,
    int WorkersSeen)
{
    public const string FrontendService = "FRONTEND";

    /// <summary>When the read of HAProxy began: a waiter judges only reads that began after its change went live.</summary>
    public DateTimeOffset ReadStartedAt { get; init; }
    public const string BackendService = "BACKEND";

    public StatRow? Frontend(long loadBalancerId) => Rows.GetValueOrDefault(new StatKey(Naming.Proxy(loadBalancerId), FrontendService));

    public StatRow? Backend(long loadBalancerId) => Rows.GetValueOrDefault(new StatKey(Naming.Proxy(loadBalancerId), BackendService));

    public StatRow? Server(long loadBalancerId, long backendId) => Rows.GetValueOrDefault(ServerKey(loadBalancerId, backendId));

    public static StatKey ServerKey(long loadBalancerId, long backendId) => new(Naming.Proxy(loadBalancerId), Naming.Server(backendId));

    public CounterValues TotalOf(StatKey key) => Totals.GetValueOrDefault(key, CounterValues.Zero);

    public CounterValues GrowthOf(StatKey key) => Growth.GetValueOrDefault(key, CounterValues.Zero);

    /// <summary>How fast the counter grew over the last window, per second; null before there are two scrapes.</summary>
    public double? PerSecond(StatKey key, Counter counter) =>
        Window > TimeSpan.Zero ? GrowthOf(key)[counter] / Window.TotalSeconds : null;
}
