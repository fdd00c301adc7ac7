using System.Net.Sockets;
using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// After every scrape, sets the weights <see cref="ResponseTimeWeighting"/> asks for on the servers
/// of <c>least_response_time</c> load balancers, all in one <c>;</c>-joined runtime call. It always
/// compares with the weight show stat reports, so a command lost (to a reload, or a refused
/// connection) is simply sent again after the next scrape. Failures are logged, never thrown.
/// </summary>
public sealed class ResponseTimeWeights(
    RuntimeSocketClient runtime,
    IOptions<ResponseTimeOptions> options,
    ILogger<ResponseTimeWeights> logger) : IScrapeObserver
{
    private readonly ResponseTimeWeighting _weighting = new(options.Value);

    public async Task OnScrapeAsync(MonitoringView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!options.Value.Enabled)
        {
            return;
        }
        var changes = _weighting.Next(view.LoadBalancers.Select(lb => Pool(lb, view.Stats)).ToList(), view.Stats.Window);
        if (changes.Count == 0)
        {
            return;
        }
        var commands = changes.ToDictionary(c => RuntimeCommands.SetWeight(c.LoadBalancerId, c.BackendId, c.To));
        IReadOnlyList<RuntimeReply> refused = [];
        try
        {
            await runtime.ExecuteCheckedAsync(commands.Keys, ct);
        }
        catch (RuntimeCommandException e)
        {
            // HAProxy goes on after a refused command (a server deleted meanwhile): the others did run.
            refused = e.Failures;
            logger.LogWarning("HAProxy refused {Count} weight changes; they are tried again after the next scrape: {Reason}", e.Failures.Count, e.Message);
        }
        catch (Exception e) when (e is IOException or TimeoutException or SocketException or HaProxyConnectionLostException)
        {
            logger.LogWarning("Weight changes not sent ({Reason}); they are tried again after the next scrape", e.Message);
            return;
        }
        foreach (var (command, change) in commands.Where(c => refused.All(r => r.Command != c.Key)))
        {
            Log(change);
        }
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

    private void Log(WeightChange change)
    {
        switch (change.Cause)
        {
            case WeightCause.ResponseTime:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} set to {Weight} of {Full} (was {Previous}): response time {AverageMs:F1} ms, fastest {FastestMs:F1} ms",
                    change.Label, change.LoadBalancerName, change.To, change.Full, change.From, change.AverageMs, change.FastestMs);
                break;
            case WeightCause.NoRecentSamples:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} set to {Weight} of {Full} (was {Previous}): no recent response times, returning to full weight",
                    change.Label, change.LoadBalancerName, change.To, change.Full, change.From);
                break;
            default:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} restored to its configured {Weight} (was {Previous}): the load balancer is not least_response_time over HTTP any more",
                    change.Label, change.LoadBalancerName, change.To, change.From);
                break;
        }
    }
}
