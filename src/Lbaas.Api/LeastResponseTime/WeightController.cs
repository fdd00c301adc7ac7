using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Stats;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.LeastResponseTime;

/// <summary>
/// After every scrape, works out the weights <see cref="WeightCalculator"/> asks for on the servers
/// of <c>least_response_time</c> load balancers and hands them to the reconciler
/// (<see cref="ApplyCoordinator.RequestWeights"/>), the one writer to HAProxy, which sends them
/// between applies (<see cref="WeightCommands"/>). It always compares with the weight show stat
/// reports, so a command lost (a refused connection) is simply asked for again after the next scrape.
/// </summary>
public sealed class WeightController(ApplyCoordinator coordinator, IOptions<ResponseTimeOptions> options) : IScrapeObserver
{
    private readonly WeightCalculator _calculator = new(options.Value);

    public Task OnScrapeAsync(MonitoringView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (options.Value.Enabled)
        {
            var changes = _calculator.Next(view.LoadBalancers.Select(lb => Pool(lb, view.Stats)).ToList(), view.Stats.Window);
            if (changes.Count > 0)
            {
                coordinator.RequestWeights(changes);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The pool as the calculation sees it. Only HTTP has rtime (HAProxy reports 0 for TCP, and a TCP
    /// connection's time says how long the client stayed, not how fast the server is): TCP pools are not managed.
    /// </summary>
    public static PoolSample Pool(MonitoredLoadBalancer lb, HaProxySnapshot stats)
    {
        ArgumentNullException.ThrowIfNull(lb);
        ArgumentNullException.ThrowIfNull(stats);
        var managed = lb.Algorithm == Algorithm.LeastResponseTime && stats.Backend(lb.Id)?.Mode == "http";
        var servers = new List<ServerSample>();
        foreach (var backend in lb.Backends.Where(b => !b.Backup && !b.Removing && b.Weight > 0))
        {
            var key = HaProxySnapshot.ServerKey(lb.Id, backend.Id);
            if (stats.Rows.GetValueOrDefault(key) is not { Weight: { } weight } row)
            {
                continue;
            }
            var adjustable = backend.State == BackendState.Enabled && weight > 0 && IsServing(row) && !IsSlowStarting(lb, row);
            servers.Add(new ServerSample(backend.Id, backend.Label, backend.Weight, weight, adjustable, row.ResponseTimeMs, stats.GrowthOf(key)[Counter.Requests]));
        }
        return new PoolSample(lb.Id, lb.Name, managed, servers);
    }

    /// <summary>UP (also "UP 1/3" while checks start failing), or serving with checks off. DOWN, DRAIN, MAINT and NOLB are left alone.</summary>
    private static bool IsServing(StatRow row) =>
        row.Status.StartsWith("UP", StringComparison.Ordinal) || row.Status == "no check";

    /// <summary>
    /// show stat reports a slow-starting server's ramping weight, not the one set: comparing with it
    /// would send the same weight every scrape. Its last change is in whole seconds, hence the extra second.
    /// </summary>
    private static bool IsSlowStarting(MonitoredLoadBalancer lb, StatRow row) =>
        lb.SlowStartMs is { } slowStart && row.LastChangeSeconds is { } since && since * 1000 <= slowStart + 1000;
}
