using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Stats;
using Lbaas.HaProxy.Values;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Monitoring;

public static class StatusEndpoints
{
    private const int TransitionsShown = 20;

    public static RouteGroupBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(LoadBalancerEndpoints.Route).WithTags("Health and statistics");
        group.MapGet("/{id:long}/status", Get).WithName("GetLoadBalancerStatus").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Status tree of a load balancer")
            .WithDescription("Provisioning and operating status of the load balancer and of each backend, with a reason a person can act on " +
                "(the last health check's result, e.g. L4CON connection refused) and since when, the live check details and weights from HAProxy, " +
                "and the latest status changes. Backends: UP, DOWN, DRAINING, MAINT, NO_CHECK. Load balancer: ONLINE (every enabled backend up), " +
                "DEGRADED (some down), OFFLINE (none up, or not in HAProxy yet), NO_MONITOR (no health checks), ERROR (HAProxy refused its configuration).");
        return group;
    }

    public static async Task<Results<Ok<LoadBalancerStatusResponse>, ProblemHttpResult>> Get(long id, LbaasDb db, MonitoringState monitoring, CancellationToken ct)
    {
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lb is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        var transitions = await db.StatusTransitions.AsNoTracking().Where(t => t.LoadBalancerId == id)
            .OrderByDescending(t => t.Id).Take(TransitionsShown)
            .Select(t => new TransitionResponse(t.At, t.BackendId, t.FromStatus, t.ToStatus, t.Reason))
            .ToListAsync(ct);
        var view = monitoring.Current;
        var backends = lb.Backends.OrderBy(b => b.Id).Select(b =>
        {
            var row = view?.Stats.Server(lb.Id, b.Id);
            return new BackendStatusResponse(
                b.Id, b.Name, ConfigValueRules.FormatEndpoint(b.Host, b.Port), b.State,
                b.Health?.OperatingStatus, b.Health?.Reason, b.Health?.Since,
                row is null ? null : Check(row), row?.Weight, row?.CurrentSessions);
        }).ToList();
        return TypedResults.Ok(new LoadBalancerStatusResponse(
            lb.Id, lb.Name, lb.Status.ProvisioningStatus, lb.Status.Reason,
            lb.Status.OperatingStatus, lb.Status.OperatingReason, lb.Status.OperatingSince,
            view?.Stats.At, backends, transitions));
    }

    private static CheckResponse? Check(StatRow row)
    {
        var status = row.LastCheckStatus;
        return status.Length == 0
            ? null
            : new CheckResponse(status, row.CheckCode, row.CheckDurationMs, NullIfEmpty(row.CheckDescription), NullIfEmpty(row.LastCheck));
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
