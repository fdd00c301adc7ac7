using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

public static class StatsEndpoints
{
    public const string Route = "/api/v1/stats";

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoadBalancerEndpoints.Route + "/{id:long}/stats", GetOne).WithTags("Health and statistics").WithName("GetLoadBalancerStats")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Traffic statistics of a load balancer")
            .WithDescription("Requests (total and per second), current and max sessions, bytes in and out, responses by class, the 5xx error rate, " +
                "average response, queue, connect and total times, for the load balancer and each backend. Totals are cumulative across HAProxy " +
                "reloads (HAProxy itself restarts them at zero); rates cover the last scrape window. 503 before HAProxy was first read.");
        app.MapGet(Route, GetAll).WithTags("Health and statistics").WithName("GetStats")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Statistics of all load balancers")
            .WithDescription("Load balancers and backends counted by operating status, the traffic of all load balancers together, the HAProxy " +
                "worker read, and one line per load balancer (requests, rate, sessions, error rate, response time).");
        return app;
    }

    public static async Task<Results<Ok<LoadBalancerStatsResponse>, ProblemHttpResult>> GetOne(
        long id, LbaasDb db, MonitoringState monitoring, IOptions<MonitoringOptions> options, IOptions<ApplyOptions> apply, TimeProvider time, CancellationToken ct)
    {
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lb is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        if (monitoring.Current is not { } view)
        {
            return Unavailable(monitoring, apply.Value);
        }
        var stats = view.Stats;
        var backends = lb.Backends.OrderBy(b => b.Id)
            .Select(b => new BackendStatsResponse(b.Id, b.Name, Lbaas.HaProxy.Values.ConfigValueRules.FormatEndpoint(b.Host, b.Port), b.Health?.OperatingStatus,
                TrafficStats.From(stats.Server(lb.Id, b.Id), null, stats)))
            .ToList();
        return TypedResults.Ok(new LoadBalancerStatsResponse(lb.Id, lb.Name, Scrape(monitoring, view, options.Value, time),
            TrafficStats.From(stats.Frontend(lb.Id), stats.Backend(lb.Id), stats), backends));
    }

    public static Results<Ok<GlobalStatsResponse>, ProblemHttpResult> GetAll(
        MonitoringState monitoring, IOptions<MonitoringOptions> options, IOptions<ApplyOptions> apply, TimeProvider time)
    {
        if (monitoring.Current is not { } view)
        {
            return Unavailable(monitoring, apply.Value);
        }
        var stats = view.Stats;
        var items = view.LoadBalancers.Select(lb =>
        {
            var traffic = TrafficStats.From(stats.Frontend(lb.Id), stats.Backend(lb.Id), stats);
            var status = view.Health.TryGetValue(lb.Id, out var health) ? health.Status : OperatingStatus.Offline;
            return (Summary: new LoadBalancerSummary(lb.Id, lb.Name, status, traffic.RequestsTotal, traffic.RequestsPerSecond,
                traffic.CurrentSessions, traffic.ErrorRate, traffic.AverageResponseTimeMs), Traffic: traffic);
        }).ToList();
        var backendStatuses = view.Health.Values.SelectMany(h => h.Backends)
            .GroupBy(b => b.Status is { } s ? StatusNames.Of(s) : "UNKNOWN")
            .ToDictionary(g => g.Key, g => g.Count());
        return TypedResults.Ok(new GlobalStatsResponse(
            Scrape(monitoring, view, options.Value, time),
            new HaProxyProcessStats(stats.Info.Pid, stats.Info.Version, stats.Info.UptimeSeconds, stats.Info.CurrentConnections, stats.WorkersSeen),
            view.LoadBalancers.Count,
            items.GroupBy(i => StatusNames.Of(i.Summary.OperatingStatus)).ToDictionary(g => g.Key, g => g.Count()),
            backendStatuses,
            TrafficStats.Sum(items.Select(i => i.Traffic).ToList()),
            items.Select(i => i.Summary).ToList()));
    }

    private static ScrapeInfo Scrape(MonitoringState monitoring, MonitoringView view, MonitoringOptions options, TimeProvider time)
    {
        var failure = monitoring.LastFailure;
        var stale = failure is not null && failure.At > view.Stats.At || time.GetUtcNow() - view.Stats.At > 3 * options.ScrapeInterval;
        return new ScrapeInfo(view.Stats.At, Math.Round(view.Stats.Window.TotalSeconds, 3), stale, failure?.Reason);
    }

    private static ProblemHttpResult Unavailable(MonitoringState monitoring, ApplyOptions apply) =>
        TypedResults.Problem(
            !apply.Enabled
                ? "This API node does not drive HAProxy (Apply:Enabled is false): statistics are kept by the node that does."
                : $"HAProxy has not been read yet{(monitoring.LastFailure is { } f ? $": {f.Reason}" : ".")}",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "No statistics yet");
}
