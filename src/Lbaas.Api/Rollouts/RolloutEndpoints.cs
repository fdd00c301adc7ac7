using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Rollouts;

public static class RolloutEndpoints
{
    /// <param name="loadBalancer">The <see cref="LoadBalancerApi"/> group of one load balancer, which carries the write filters.</param>
    public static RouteGroupBuilder MapRollouts(this RouteGroupBuilder loadBalancer)
    {
        var group = loadBalancer.MapGroup("/rollout").WithTags("Rollouts")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Start).WithName("StartRollout").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replace the pool batch by batch")
            .WithDescription("Ships a new version of the backends: batch by batch, batch_size new backends join (draining: health-checked, no traffic), " +
                "and once every backend added so far passes its health checks they take traffic and batch_size old ones drain and leave (drain_timeout), " +
                "then the rollout waits interval before the next batch. Backends in both pools are kept and take their new settings at the end. " +
                "A batch not healthy within health_timeout rolls the rollout back by itself. Answers 202 at once; GET …/rollout follows it. " +
                "One rollout at a time per load balancer: 409 names the active one.");
        group.MapGet("/", Get).WithName("GetRollout")
            .WithSummary("Follow the rollout")
            .WithDescription("The load balancer's current or last rollout: state, phase, batch k of n, backends added (with health) and removed so far, " +
                "and why it rolled back or failed. 404 if it never had one. The ETag changes with every step.");
        group.MapPost("/rollback", Rollback).WithName("RollBackRollout").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Roll the rollout back")
            .WithDescription("Stops the rollout and restores the pool it started from: the backends it added drain and leave, old ones already removed " +
                "come back with their settings (and new ids), old ones still draining are taken back. 202 with the rollout rolling_back (also when it " +
                "already is); 409 once it has completed, rolled back or failed.");
        return group;
    }

    public static async Task<Results<Accepted<RolloutResponse>, ValidationProblem, ProblemHttpResult>> Start(
        long id, RolloutRequest request, HttpContext http, LbaasDb db, WriteCommit commit, RolloutSignal signal, IOptions<ApplyOptions> apply, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (RolloutValidator.Validate(request, apply.Value.DrainTimeout, errors) is not { } valid)
        {
            return Problems.Invalid(errors);
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Under the load balancer's row lock, the pool cannot change while it is copied.
            await db.LockLoadBalancerAsync(id, ct);
            var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
            if (lb is null || lb.Status.ProvisioningStatus == ProvisioningStatus.PendingDelete)
            {
                return Problems.NotFound("Load balancer", id);
            }
            if (await ActiveAsync(db, id, ct) is { } active)
            {
                return Busy(active);
            }
            var original = lb.Backends.Where(b => b.RemoveBy is null).OrderBy(b => b.Id).Select(RolloutBackend.From).ToList();
            var target = valid.Backends.Select(RolloutBackend.From).ToList();
            var plan = RolloutPlan.Of(original, target, valid.BatchSize);
            var now = time.GetUtcNow();
            var rollout = new Rollout
            {
                LoadBalancerId = id,
                State = RolloutState.InProgress,
                Phase = plan.Batches == 0 ? RolloutPhase.Finishing : RolloutPhase.Adding,
                BatchCount = plan.Batches,
                BatchSize = valid.BatchSize,
                IntervalMs = (int)valid.Interval.TotalMilliseconds,
                DrainTimeoutMs = (int)valid.DrainTimeout.TotalMilliseconds,
                HealthTimeoutMs = (int)valid.HealthTimeout.TotalMilliseconds,
                Target = target,
                Original = original,
                Actor = ActorHeader.Read(http.Request),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Rollouts.Add(rollout);
            try
            {
                await db.SaveChangesAsync(ct);
                await commit.CommitAsync(tx, Location(id), rollout.ToResponse(), rollout.Version, ct);
                signal.Wake();
                return TypedResults.Accepted(Location(id), rollout.ToResponse());
            }
            catch (DbUpdateException e) when (DbErrors.UniqueViolation(e) == RolloutConfiguration.OneActiveIndex)
            {
                // The index is the last word; every start takes the row lock first, so this is only a backstop.
            }
        }
        db.ChangeTracker.Clear();
        return await ActiveAsync(db, id, ct) is { } winner ? Busy(winner) : Problems.Conflict("rollout", "Another rollout started at the same time; retry.");
    }

    public static async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> Get(long id, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        var rollout = await LatestAsync(db, id, ct);
        if (rollout is null)
        {
            return await NoRolloutAsync(db, id, ct);
        }
        ETags.Set(response, rollout.Version);
        return TypedResults.Ok(rollout.ToResponse());
    }

    public static async Task<Results<Accepted<RolloutResponse>, ProblemHttpResult>> Rollback(
        long id, HttpContext http, LbaasDb db, WriteCommit commit, RolloutSignal signal, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // If-Match pins the version read: every step of the runner changes it, so a stale one is 412.
        uint? pinned = null;
        if (http.Request.Headers.IfMatch.Count > 0 && await LatestAsync(db, id, ct) is { } read)
        {
            if (ETags.IfMatch(http.Request, read.Version) == false)
            {
                return Problems.PreconditionFailed();
            }
            pinned = ETags.IsWildcard(http.Request) ? null : read.Version;
        }
        // The rollback's steps are recorded as the actor who asked for it, if the request names one.
        var actor = ActorHeader.Read(http.Request);
        var flipped = await db.Rollouts.Where(r => r.LoadBalancerId == id && r.State == RolloutState.InProgress && (pinned == null || r.Version == pinned))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Actor, r => actor ?? r.Actor)
                .SetProperty(r => r.State, RolloutState.RollingBack)
                .SetProperty(r => r.Phase, RolloutPhase.Restoring)
                .SetProperty(r => r.Message, "Rolled back on request.")
                .SetProperty(r => r.HealthDeadline, (DateTimeOffset?)null)
                .SetProperty(r => r.NextStepAt, (DateTimeOffset?)null)
                .SetProperty(r => r.UpdatedAt, now), ct);
        var rollout = await LatestAsync(db, id, ct);
        if (rollout is null)
        {
            return await NoRolloutAsync(db, id, ct);
        }
        if (flipped == 0 && pinned is not null && rollout.State == RolloutState.InProgress)
        {
            return Problems.PreconditionFailed();
        }
        if (rollout.State != RolloutState.RollingBack)
        {
            return Problems.Conflict("state",
                $"Rollout {rollout.Id} has already {(rollout.State == RolloutState.Completed ? "completed" : rollout.State == RolloutState.RolledBack ? "rolled back" : "failed")}; " +
                "start a new rollout to change the pool.", rollout.Id);
        }
        await commit.CommitAsync(tx, Location(id), rollout.ToResponse(), rollout.Version, ct);
        signal.Wake();
        return TypedResults.Accepted(Location(id), rollout.ToResponse());
    }

    private static string Location(long id) => $"{LoadBalancerEndpoints.Route}/{id}/rollout";

    private static Task<Rollout?> LatestAsync(LbaasDb db, long id, CancellationToken ct) =>
        db.Rollouts.AsNoTracking().Where(r => r.LoadBalancerId == id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    private static Task<Rollout?> ActiveAsync(LbaasDb db, long id, CancellationToken ct) =>
        db.Rollouts.AsNoTracking().FirstOrDefaultAsync(r => r.LoadBalancerId == id && (r.State == RolloutState.InProgress || r.State == RolloutState.RollingBack), ct);

    private static ProblemHttpResult Busy(Rollout active) =>
        Problems.Conflict("rollout",
            $"Rollout {active.Id} of load balancer {active.LoadBalancerId} is still {(active.State == RolloutState.InProgress ? "in progress" : "rolling back")}; " +
            "wait for it to finish or roll it back first.", active.Id);

    private static async Task<ProblemHttpResult> NoRolloutAsync(LbaasDb db, long id, CancellationToken ct) =>
        await db.LoadBalancers.AnyAsync(l => l.Id == id, ct)
            ? TypedResults.Problem($"Load balancer {id} has no rollout.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : Problems.NotFound("Load balancer", id);
}
