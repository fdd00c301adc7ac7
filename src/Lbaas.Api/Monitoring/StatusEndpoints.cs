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

    /// <param name="loadBalancer">The <see cref="LoadBalancerApi"/> group of one load balancer.</param>
    public static RouteGroupBuilder MapStatus(this RouteGroupBuilder loadBalancer)
    {
        var group = loadBalancer.MapGroup("").WithTags("Health and statistics");
        group.MapGet("/status", Get).WithName("GetLoadBalancerStatus").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Status tree of a load balancer")
            .WithDescription("Provisioning and operating status of the load balancer and of each backend, with a reason a person can act on " +
                "(the last health check's result, e.g. L4CON connection refused) and since when, the live check details and weights from HAProxy, " +
                "and the latest status changes. Backends: UP, DOWN, DRAINING, MAINT, NO_CHECK. Load balancer: ONLINE (every enabled backend up), " +
                "DEGRADED (some down), OFFLINE (none up, or not in HAProxy yet), NO_MONITOR (no health checks), ERROR (HAProxy refused its configuration). " +
                "While PostgreSQL cannot be reached it still answers 200, from memory: health as HAProxy shows it now, judged against the desired state last read, " +
                "no transitions, and scrape.stale true with scrape.last_error \"database unavailable: …\" and scrape.desired_state_at.");
        return group;
    }

    public static async Task<Results<Ok<LoadBalancerStatusResponse>, ProblemHttpResult>> Get(
        long id, LbaasDb db, MonitoringState monitoring, ScrapeFreshness freshness, HealthRecorder recorder, CancellationToken ct)
    {
        // Freshness first: a view published as fresh was recorded before it was published, so the
        // statuses read from PostgreSQL below are at least as new as what it says.
        var scrape = freshness.Current();
        var found = await LoadBalancerLookup.FindAsync(db, monitoring, id, ct);
        var view = monitoring.Current;
        if (found.Stored is { } lb)
        {
            var transitions = await db.StatusTransitions.AsNoTracking().Where(t => t.LoadBalancerId == id)
                .OrderByDescending(t => t.Id).Take(TransitionsShown)
                .Select(t => new TransitionResponse(t.At, t.BackendId, t.FromStatus, t.ToStatus, t.Reason))
                .ToListAsync(ct);
            var backends = lb.Backends.OrderBy(b => b.Id).Select(b => Backend(
                new MonitoredBackend(b.Id, b.Name, b.Host, b.Port, b.Weight, b.Backup, b.State, b.RemoveBy != null),
                b.Health?.OperatingStatus, b.Health?.Reason, b.Health?.Since, view?.Stats.Server(lb.Id, b.Id))).ToList();
            return TypedResults.Ok(new LoadBalancerStatusResponse(
                lb.Id, lb.Name, lb.Status.ProvisioningStatus, lb.Status.Reason,
                lb.Status.OperatingStatus, lb.Status.OperatingReason, lb.Status.OperatingSince,
                view?.Stats.At, backends, transitions)
            { Scrape = scrape });
        }
        if (found.Remembered is not { } remembered || view is null)
        {
            return found.Problem(id, monitoring);
        }
        return TypedResults.Ok(FromMemory(remembered, view, recorder, freshness.Of(view, found.DatabaseError)));
    }

    /// <summary>
    /// PostgreSQL away: the tree as the scraper judges it now (HAProxy is still read) against the
    /// desired state it last read. Since-times are those recorded, or first seen for a change not yet written;
    /// transitions live only in the database.
    /// </summary>
    private static LoadBalancerStatusResponse FromMemory(MonitoredLoadBalancer lb, MonitoringView view, HealthRecorder recorder, ScrapeInfo scrape)
    {
        var health = view.Health.GetValueOrDefault(lb.Id);
        var backends = lb.Backends.Select(b =>
        {
            var observed = health?.Backends.FirstOrDefault(o => o.Backend.Id == b.Id);
            return Backend(b, observed?.Status, observed?.Reason, recorder.BackendSince(b.Id, observed?.Status), view.Stats.Server(lb.Id, b.Id));
        }).ToList();
        var status = health?.Status ?? OperatingStatus.Offline;
        return new LoadBalancerStatusResponse(lb.Id, lb.Name, lb.Provisioning, lb.ProvisioningReason, status, health?.Reason, recorder.LoadBalancerSince(lb.Id, status),
            view.Stats.At, backends, [])
        { Scrape = scrape };
    }

    private static BackendStatusResponse Backend(MonitoredBackend b, BackendOperatingStatus? status, string? reason, DateTimeOffset? since, StatRow? row) =>
        new(b.Id, b.Name, ConfigValueRules.FormatEndpoint(b.Host, b.Port), b.State, status, reason, since,
            row is null ? null : Check(row), row?.Weight, row?.CurrentSessions);

    private static CheckResponse? Check(StatRow row)
    {
        var status = row.LastCheckStatus;
        return status.Length == 0
            ? null
            : new CheckResponse(status, row.CheckCode, row.CheckDurationMs, NullIfEmpty(row.CheckDescription), NullIfEmpty(row.LastCheck));
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
