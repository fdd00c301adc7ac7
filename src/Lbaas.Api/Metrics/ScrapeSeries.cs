using System.Globalization;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Stats;
using F = Lbaas.Api.Metrics.ScrapeFamilies;

namespace Lbaas.Api.Metrics;

/// <summary>
/// Turns one <see cref="MonitoringView"/> into series, as a pure function. Every load balancer and
/// backend of the desired state gets its counters (zero before HAProxy counts anything, so the
/// first increase shows in <c>rate()</c>); what HAProxy reports as it is now (sessions, times,
/// status) only when the view is fresh, so a stale view never passes for a live one.
/// </summary>
public static class ScrapeSeries
{
    private static readonly OperatingStatus[] OperatingStatuses = Enum.GetValues<OperatingStatus>();
    private static readonly ProvisioningStatus[] ProvisioningStatuses = Enum.GetValues<ProvisioningStatus>();
    private static readonly BackendOperatingStatus[] BackendStatuses = Enum.GetValues<BackendOperatingStatus>();

    /// <param name="view">The last good scrape.</param>
    /// <param name="fresh">The last scrape succeeded; false while HAProxy cannot be read and the view is the last good one.</param>
    public static IEnumerable<Sample> From(MonitoringView view, bool fresh)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (fresh)
        {
            foreach (var sample in Process(view.Stats.Info))
            {
                yield return sample;
            }
        }
        foreach (var lb in view.LoadBalancers)
        {
            var health = view.Health.GetValueOrDefault(lb.Id);
            foreach (var sample in LoadBalancer(lb, health, view.Stats, fresh))
            {
                yield return sample;
            }
            var observed = health?.Backends.ToDictionary(b => b.Backend.Id) ?? [];
            foreach (var backend in lb.Backends)
            {
                foreach (var sample in Backend(lb, backend, observed.GetValueOrDefault(backend.Id), view.Stats, fresh))
                {
                    yield return sample;
                }
            }
        }
    }

    private static IEnumerable<Sample> Process(ProcessInfo info)
    {
        yield return new(F.HaProxyInfo, [info.Version], 1);
        yield return new(F.HaProxyUptime, [], info.UptimeSeconds);
        yield return new(F.HaProxyConnections, [], info.CurrentConnections);
        yield return new(F.HaProxyConnectionLimit, [], info.MaxConnections);
    }

    private static IEnumerable<Sample> LoadBalancer(MonitoredLoadBalancer lb, LoadBalancerHealth? health, HaProxySnapshot stats, bool fresh)
    {
        string[] labels = [lb.Name, Id(lb.Id)];
        var front = stats.TotalOf(new StatKey(Naming.Proxy(lb.Id), HaProxySnapshot.FrontendService));
        // Errors on the way to the servers are counted by the backend section, not the frontend.
        var back = stats.TotalOf(new StatKey(Naming.Proxy(lb.Id), HaProxySnapshot.BackendService));
        yield return new(F.LbRequests, labels, front[Counter.Requests]);
        foreach (var (code, counter) in F.ResponseCodes)
        {
            yield return new(F.LbResponses, [.. labels, code], front[counter]);
        }
        yield return new(F.LbSessions, labels, front[Counter.Sessions]);
        yield return new(F.LbBytesIn, labels, front[Counter.BytesIn]);
        yield return new(F.LbBytesOut, labels, front[Counter.BytesOut]);
        yield return new(F.LbRequestErrors, labels, front[Counter.RequestErrors]);
        yield return new(F.LbConnectionErrors, labels, back[Counter.ConnectionErrors]);
        yield return new(F.LbResponseErrors, labels, back[Counter.ResponseErrors]);
        // The provisioning status comes from PostgreSQL, not HAProxy: known even when HAProxy is not.
        foreach (var status in ProvisioningStatuses)
        {
            yield return new(F.LbProvisioningStatus, [.. labels, StatusNames.Of(status)], lb.Provisioning == status ? 1 : 0);
        }
        if (!fresh || health is null)
        {
            yield break;
        }
        yield return new(F.LbUp, labels, health.Status is OperatingStatus.Online or OperatingStatus.Degraded or OperatingStatus.NoMonitor ? 1 : 0);
        foreach (var status in OperatingStatuses)
        {
            yield return new(F.LbOperatingStatus, [.. labels, StatusNames.Of(status)], health.Status == status ? 1 : 0);
        }
        if (stats.Frontend(lb.Id) is { } frontend)
        {
            var sessions = Present(labels, (F.LbCurrentSessions, frontend.CurrentSessions), (F.LbMaxSessions, frontend.MaxSessions), (F.LbSessionLimit, frontend.SessionLimit));
            foreach (var sample in sessions)
            {
                yield return sample;
            }
        }
        if (stats.Backend(lb.Id) is { } backend)
        {
            var queue = Present(labels, (F.LbQueued, backend.CurrentQueue));
            foreach (var sample in queue.Concat(Times(labels, backend, F.LbQueueTime, F.LbConnectTime, F.LbResponseTime, F.LbTotalTime)))
            {
                yield return sample;
            }
        }
    }

    private static IEnumerable<Sample> Backend(MonitoredLoadBalancer lb, MonitoredBackend backend, ObservedBackend? observed, HaProxySnapshot stats, bool fresh)
    {
        string[] labels = [lb.Name, Id(lb.Id), backend.Label, Id(backend.Id)];
        var total = stats.TotalOf(HaProxySnapshot.ServerKey(lb.Id, backend.Id));
        yield return new(F.BackendRequests, labels, total[Counter.Requests]);
        foreach (var (code, counter) in F.ResponseCodes)
        {
            yield return new(F.BackendResponses, [.. labels, code], total[counter]);
        }
        yield return new(F.BackendSessions, labels, total[Counter.Sessions]);
        yield return new(F.BackendBytesIn, labels, total[Counter.BytesIn]);
        yield return new(F.BackendBytesOut, labels, total[Counter.BytesOut]);
        yield return new(F.BackendConnectionErrors, labels, total[Counter.ConnectionErrors]);
        yield return new(F.BackendResponseErrors, labels, total[Counter.ResponseErrors]);
        yield return new(F.BackendCheckFailures, labels, total[Counter.CheckFailures]);
        yield return new(F.BackendDownTransitions, labels, total[Counter.CheckDowns]);
        yield return new(F.BackendDowntime, labels, total[Counter.DowntimeSeconds]);
        if (!fresh)
        {
            yield break;
        }
        var status = observed?.Status;
        yield return new(F.BackendUp, labels, status is BackendOperatingStatus.Up or BackendOperatingStatus.NoCheck ? 1 : 0);
        foreach (var s in BackendStatuses)
        {
            yield return new(F.BackendOperatingStatus, [.. labels, StatusNames.Of(s)], status == s ? 1 : 0);
        }
        if (stats.Server(lb.Id, backend.Id) is { } row)
        {
            foreach (var sample in Present(labels, (F.BackendCurrentSessions, row.CurrentSessions), (F.BackendQueued, row.CurrentQueue), (F.BackendWeight, row.Weight))
                .Concat(Times(labels, row, F.BackendQueueTime, F.BackendConnectTime, F.BackendResponseTime, F.BackendTotalTime)))
            {
                yield return sample;
            }
        }
    }

    /// <summary>HAProxy's qtime, ctime, rtime and ttime, in milliseconds, as seconds.</summary>
    private static IEnumerable<Sample> Times(string[] labels, StatRow row, MetricFamily queue, MetricFamily connect, MetricFamily response, MetricFamily total) =>
        Present(labels, (queue, row.QueueTimeMs), (connect, row.ConnectTimeMs), (response, row.ResponseTimeMs), (total, row.TotalTimeMs))
            .Select(s => s with { Value = s.Value / 1000.0 });

    /// <summary>The values HAProxy filled in; an empty column is no series rather than a made-up zero.</summary>
    private static IEnumerable<Sample> Present(string[] labels, params (MetricFamily Family, long? Value)[] values) =>
        values.Where(v => v.Value is not null).Select(v => new Sample(v.Family, labels, v.Value!.Value));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
