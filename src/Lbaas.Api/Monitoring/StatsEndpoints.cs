using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

public static class StatsEndpoints
{
    public const string Route = "/api/v1/stats";

    /// <param name="loadBalancer">The <see cref="LoadBalancerApi"/> group of one load balancer.</param>
    public static RouteHandlerBuilder MapLoadBalancerStats(this RouteGroupBuilder loadBalancer) =>
        loadBalancer.MapGet("/stats", GetOne).WithTags("Health and statistics").WithName("GetLoadBalancerStats")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Traffic statistics of a load balancer")
            .WithDescription("Requests (total and per second), current and max sessions, bytes in and out, responses by class, the 5xx error rate, " +
                "average response, queue, connect and total times, for the load balancer and each backend. Totals are cumulative across HAProxy " +
                "reloads (HAProxy itself restarts them at zero); rates cover the last scrape window. " +
                "Served from memory: while PostgreSQL cannot be reached the answer is still 200, with the load balancer and its backends as last read, " +
                "scrape.stale true, scrape.last_error \"database unavailable: …\" and scrape.desired_state_at. 503 before HAProxy was first read, " +
                "or when PostgreSQL is away and the load balancer was not in the last desired state read.");

    public static RouteHandlerBuilder MapStats(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, GetAll).WithTags("Health and statistics").WithName("GetStats")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Statistics of all load balancers")
            .WithDescription("Load balancers and backends counted by operating status, the traffic of all load balancers together, the HAProxy " +
                "worker read, and one line per load balancer (requests, rate, sessions, error rate, response time). Served from memory: answers 200 while " +
                "PostgreSQL is away, marked scrape.stale with the reason in scrape.last_error.");

    public static async Task<Results<Ok<LoadBalancerStatsResponse>, ProblemHttpResult>> GetOne(
        long id, LbaasDb db, MonitoringState monitoring, ScrapeFreshness freshness, IOptions<ApplyOptions> apply, CancellationToken ct)
    {
        var found = await LoadBalancerLookup.FindAsync(db, monitoring, id, ct);
        if (found.Missing)
        {
            return found.Problem(id, monitoring);
        }
        if (monitoring.Current is not { } view)
        {
            return Unavailable(monitoring, apply.Value);
        }
        var stats = view.Stats;
        var backends = found.Stored is { } lb
            ? lb.Backends.OrderBy(b => b.Id).Select(b => Backend(stats, id, b.Id, b.Name, b.Host, b.Port, b.Health?.OperatingStatus))
            : found.Remembered!.Backends.Select(b => Backend(stats, id, b.Id, b.Name, b.Host, b.Port,
                view.Health.GetValueOrDefault(id)?.Backends.FirstOrDefault(o => o.Backend.Id == b.Id)?.Status));
        return TypedResults.Ok(new LoadBalancerStatsResponse(id, found.Stored?.Name ?? found.Remembered!.Name, freshness.Of(view, found.DatabaseError),
            TrafficStats.From(stats.Frontend(id), stats.Backend(id), stats), backends.ToList()));
    }

    private static BackendStatsResponse Backend(HaProxySnapshot stats, long lbId, long id, string? name, string host, int port, BackendOperatingStatus? status) =>
        new(id, name, Lbaas.HaProxy.Values.ConfigValueRules.FormatEndpoint(host, port), status, TrafficStats.From(stats.Server(lbId, id), null, stats));

    public static Results<Ok<GlobalStatsResponse>, ProblemHttpResult> GetAll(MonitoringState monitoring, ScrapeFreshness freshness, IOptions<ApplyOptions> apply)
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
            freshness.Of(view),
            new HaProxyProcessStats(stats.Info.Pid, stats.Info.Version, stats.Info.UptimeSeconds, stats.Info.CurrentConnections, stats.WorkersSeen),
            view.LoadBalancers.Count,
            items.GroupBy(i => StatusNames.Of(i.Summary.OperatingStatus)).ToDictionary(g => g.Key, g => g.Count()),
            backendStatuses,
            TrafficStats.Sum(items.Select(i => i.Traffic).ToList()),
            items.Select(i => i.Summary).ToList()));
    }

    private static ProblemHttpResult Unavailable(MonitoringState monitoring, ApplyOptions apply) =>
        TypedResults.Problem(
            !apply.Enabled
                ? "This API node does not drive HAProxy (Apply:Enabled is false): statistics are kept by the node that does."
                : $"HAProxy has not been read yet{(monitoring.LastFailure is { } f ? $": {f.Reason}" : ".")}",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "No statistics yet");
}
