using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Lbaas.HaProxy.Config;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// Takes one step of one rollout, the persisting half of the state machine whose transitions are
/// <see cref="RolloutTransitions"/>: it sees what the phase waits on, lets the transitions decide,
/// and writes the result: one short transaction that changes the pool (through
/// <see cref="PoolWrite"/>, so the revision moves and the reconciler applies it) and records the
/// progress in the rollout's row, or a look at HAProxy or the pool that finds nothing to do yet.
/// Waiting happens between steps, never inside one. The rollout row's version makes a step
/// and a concurrent rollback request exclusive: the loser's whole transaction is rolled back.
/// </summary>
public sealed class RolloutStepper(LbaasDb db, ApplyCoordinator coordinator, RevisionRecorder revisions, TimeProvider time, ILogger<RolloutStepper> logger)
{
    /// <summary>Takes the next step if there is one now; false when the rollout has to wait (or is over).</summary>
    /// <exception cref="DbUpdateConcurrencyException">The rollout changed meanwhile: nothing was done, step again.</exception>
    public async Task<bool> StepAsync(long rolloutId, RolloutStats stats, CancellationToken ct)
    {
        var rollout = await db.Rollouts.FirstOrDefaultAsync(r => r.Id == rolloutId, ct);
        if (rollout is null || !rollout.IsActive)
        {
            return false;
        }
        var plan = RolloutTransitions.Plan(rollout);
        try
        {
            if (await SeeAsync(rollout, plan, stats, ct) is not { } seen)
            {
                return false;
            }
            switch (RolloutTransitions.Next(rollout, seen, time.GetUtcNow()))
            {
                case RolloutAction.Wait:
                    return false;
                case RolloutAction.Record:
                    await SaveAsync(rollout, ct);
                    return false;
                case RolloutAction.Save:
                    await SaveAsync(rollout, ct);
                    if (rollout.State == RolloutState.RolledBack)
                    {
                        logger.LogInformation("Rollout {RolloutId} of load balancer {LoadBalancerId} rolled back", rollout.Id, rollout.LoadBalancerId);
                    }
                    return true;
                case RolloutAction.Add:
                    return await AddAsync(rollout, plan, ct);
                case RolloutAction.Promote:
                    return await PromoteAsync(rollout, plan, ct);
                case RolloutAction.Finish:
                    return await FinishAsync(rollout, ct);
                default:
                    return await RestoreAsync(rollout, ct);
            }
        }
        catch (DbUpdateException e) when (DbErrors.UniqueViolation(e) is not null)
        {
            // A backend outside the rollout took a host:port or name a step needed (the step was rolled back).
            db.ChangeTracker.Clear();
            var fresh = await db.Rollouts.FirstOrDefaultAsync(r => r.Id == rolloutId && r.Version == rollout.Version, ct);
            if (fresh is null)
            {
                return true;
            }
            RolloutTransitions.Abandon(fresh, $"Another backend of the pool holds a host:port or name the rollout needs ({DbErrors.UniqueViolation(e)}).", time.GetUtcNow());
            return await SaveAsync(fresh, ct);
        }
    }

    /// <summary>
    /// What the rollout's phase waits on: the added backends' health while checking, the backends
    /// being removed while removing. Null when the load balancer is gone (its deletion ends the rollout).
    /// </summary>
    private async Task<RolloutSeen?> SeeAsync(Rollout rollout, RolloutPlan plan, RolloutStats stats, CancellationToken ct)
    {
        switch (rollout.Phase)
        {
            case RolloutPhase.Checking when rollout.State == RolloutState.InProgress:
                return await SeeHealthAsync(rollout, stats, ct);
            case RolloutPhase.Removing:
                var old = plan.OldIn(rollout.Batch);
                return new RolloutSeen(StillRemoving: await AnyRemovingAsync(rollout.LoadBalancerId, b => old.Any(o => o.SameEndpoint(b)), ct));
            case RolloutPhase.RemovingAdded:
                var ids = rollout.Added.Select(a => a.Id!.Value).ToHashSet();
                return new RolloutSeen(StillRemoving: await AnyRemovingAsync(rollout.LoadBalancerId, b => ids.Contains(b.Id), ct));
            default:
                return RolloutSeen.Nothing;
        }
    }

    /// <summary>Which added backends HAProxy shows healthy, and how the others look.</summary>
    private async Task<RolloutSeen?> SeeHealthAsync(Rollout rollout, RolloutStats stats, CancellationToken ct)
    {
        var rows = await stats.ReadAsync(ct);
        if (rows is null)
        {
            return RolloutSeen.Nothing;
        }
        var checks = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == rollout.LoadBalancerId)
            .Select(l => (bool?)l.HealthCheck.Enabled).FirstOrDefaultAsync(ct);
        if (checks is null)
        {
            return null;
        }
        var ids = rollout.Added.Select(a => a.Id!.Value).ToList();
        var present = await db.Backends.AsNoTracking()
            .Where(b => b.LoadBalancerId == rollout.LoadBalancerId && ids.Contains(b.Id) && b.RemoveBy == null).Select(b => b.Id).ToListAsync(ct);
        var servers = RolloutHealth.Servers(rows, rollout.LoadBalancerId);
        var healthy = rollout.Added
            .Where(a => present.Contains(a.Id!.Value) && RolloutHealth.IsHealthy(servers.GetValueOrDefault(Naming.Server(a.Id.Value)), checks.Value, a.State))
            .Select(a => a.Id!.Value).ToList();
        var sick = rollout.Added.Where(a => !healthy.Contains(a.Id!.Value)).Select(a =>
            $"backend {a.Id} ({a.Host}:{a.Port}) {(present.Contains(a.Id!.Value) ? RolloutHealth.Describe(servers.GetValueOrDefault(Naming.Server(a.Id.Value))) : "left the pool")}").ToList();
        return new RolloutSeen(HaProxyAnswered: true, Healthy: healthy, Sick: sick);
    }

    /// <summary>The batch's new backends join draining: HAProxy checks them, but sends them nothing until the batch is healthy.</summary>
    private Task<bool> AddAsync(Rollout rollout, RolloutPlan plan, CancellationToken ct) =>
        PoolStepAsync(rollout, async (pool, now) =>
        {
            var added = new List<(RolloutBackend Spec, Backend Backend)>();
            foreach (var spec in plan.NewIn(rollout.Batch))
            {
                // The host:port may still be in the pool, being removed: take that backend back.
                var backend = pool.FirstOrDefault(spec.SameEndpoint);
                if (backend is null)
                {
                    backend = new Backend { LoadBalancerId = rollout.LoadBalancerId, Host = spec.Host, CreatedAt = now };
                    db.Backends.Add(backend);
                    pool.Add(backend);
                }
                Fit(spec, pool, backend, spec.State == BackendState.Disabled ? BackendState.Disabled : BackendState.Draining).ApplyTo(backend);
                backend.UpdatedAt = now;
                added.Add((spec, backend));
            }
            await db.SaveChangesAsync(ct);
            RolloutTransitions.Added(rollout, added.Select(a => a.Spec with { Id = a.Backend.Id }), now);
            logger.LogInformation("Rollout {RolloutId}: batch {Batch} of {Batches} added backend(s) {BackendIds} to load balancer {LoadBalancerId}",
                rollout.Id, rollout.Batch + 1, rollout.BatchCount, string.Join(",", added.Select(a => a.Backend.Id)), rollout.LoadBalancerId);
        }, ct);

    /// <summary>The batch is healthy: its new backends take traffic and its old ones start draining, in one write.</summary>
    private Task<bool> PromoteAsync(Rollout rollout, RolloutPlan plan, CancellationToken ct) =>
        PoolStepAsync(rollout, async (pool, now) =>
        {
            var removed = new List<long>();
            foreach (var old in plan.OldIn(rollout.Batch))
            {
                if (pool.FirstOrDefault(old.SameEndpoint) is { } backend)
                {
                    BackendRemoval.Start(backend, now, TimeSpan.FromMilliseconds(rollout.DrainTimeoutMs));
                    removed.Add(old.Id!.Value);
                }
            }
            // Old backends give their names up once they are being removed: save that before the new ones take them.
            await db.SaveChangesAsync(ct);
            foreach (var spec in plan.NewIn(rollout.Batch))
            {
                if (pool.FirstOrDefault(b => spec.SameEndpoint(b) && b.RemoveBy is null && rollout.Added.Any(a => a.Id == b.Id)) is { } backend)
                {
                    Fit(spec, pool, backend).ApplyTo(backend);
                    backend.UpdatedAt = now;
                }
            }
            RolloutTransitions.Promoted(rollout, removed);
            logger.LogInformation("Rollout {RolloutId}: batch {Batch} of {Batches} is healthy; removing backend(s) {BackendIds}",
                rollout.Id, rollout.Batch + 1, rollout.BatchCount, string.Join(",", removed));
        }, ct);

    /// <summary>Every batch is through: kept backends take the settings asked for, and every backend asked for its name.</summary>
    private Task<bool> FinishAsync(Rollout rollout, CancellationToken ct) =>
        PoolStepAsync(rollout, async (pool, now) =>
        {
            var targets = rollout.Target
                .Select(spec => (Spec: spec, Backend: pool.FirstOrDefault(b => spec.SameEndpoint(b) && b.RemoveBy is null)))
                .Where(t => t.Backend is not null).Select(t => (t.Spec, Backend: t.Backend!)).ToList();
            // Names move in two saves, so two kept backends can swap theirs.
            foreach (var (spec, backend) in targets.Where(t => t.Backend.Name is not null && t.Backend.Name != t.Spec.Name))
            {
                backend.Name = null;
            }
            await db.SaveChangesAsync(ct);
            var unnamed = new List<string>();
            foreach (var (spec, backend) in targets)
            {
                var valid = Fit(spec, pool, backend);
                if (valid.Name != spec.Name)
                {
                    unnamed.Add($"{spec.Host}:{spec.Port} ('{spec.Name}')");
                }
                if (backend.ToRequest() != new BackendRequest(valid.Host, valid.Port, valid.Weight, valid.Name, valid.Backup, valid.State))
                {
                    valid.ApplyTo(backend);
                    backend.UpdatedAt = now;
                }
            }
            RolloutTransitions.Completed(rollout, unnamed, now);
            logger.LogInformation("Rollout {RolloutId} of load balancer {LoadBalancerId} completed", rollout.Id, rollout.LoadBalancerId);
        }, ct);

    /// <summary>Rolling back: the added backends drain, the original pool is put back (old ones already gone come back with new ids).</summary>
    private Task<bool> RestoreAsync(Rollout rollout, CancellationToken ct) =>
        PoolStepAsync(rollout, async (pool, now) =>
        {
            foreach (var added in rollout.Added)
            {
                if (pool.FirstOrDefault(b => b.Id == added.Id) is { RemoveBy: null } backend)
                {
                    BackendRemoval.Start(backend, now, TimeSpan.FromMilliseconds(rollout.DrainTimeoutMs));
                }
            }
            await db.SaveChangesAsync(ct);
            foreach (var spec in rollout.Original)
            {
                var backend = pool.FirstOrDefault(spec.SameEndpoint);
                if (backend is null)
                {
                    backend = new Backend { LoadBalancerId = rollout.LoadBalancerId, Host = spec.Host, CreatedAt = now };
                    db.Backends.Add(backend);
                    pool.Add(backend);
                }
                var valid = Fit(spec, pool, backend);
                if (backend.RemoveBy is not null || backend.ToRequest() != new BackendRequest(valid.Host, valid.Port, valid.Weight, valid.Name, valid.Backup, valid.State))
                {
                    valid.ApplyTo(backend);
                    backend.UpdatedAt = now;
                }
            }
            RolloutTransitions.Restored(rollout);
            logger.LogWarning("Rollout {RolloutId} of load balancer {LoadBalancerId} rolling back: {Reason}", rollout.Id, rollout.LoadBalancerId, rollout.Message);
        }, ct);

    /// <summary>
    /// One write to the pool and the rollout's progress, in one transaction that holds the load
    /// balancer's row lock for milliseconds; then the reconciler is asked to apply it.
    /// </summary>
    private async Task<bool> PoolStepAsync(Rollout rollout, Func<List<Backend>, DateTimeOffset, Task> change, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await using var write = await PoolWrite.BeginAsync(db, rollout.LoadBalancerId, now, ct);
        if (write is null)
        {
            RolloutTransitions.End(rollout, RolloutState.Failed, "The load balancer is being deleted.", now);
        }
        else
        {
            var pool = await db.Backends.Where(b => b.LoadBalancerId == rollout.LoadBalancerId).OrderBy(b => b.Id).ToListAsync(ct);
            await change(pool, now);
        }
        rollout.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        if (write is not null)
        {
            // Every step is a change of the load balancer like any other: it gets its revision.
            await revisions.RecordAsync(rollout.LoadBalancerId, new RevisionCause(RevisionActions.Rollout, rollout.Actor, "rollout", $"rollout {rollout.Id}, {rollout.State}"), ct);
        }
        await tx.CommitAsync(ct);
        coordinator.RequestApply();
        return true;
    }

    private async Task<bool> SaveAsync(Rollout rollout, CancellationToken ct)
    {
        rollout.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Backends of the pool matching <paramref name="which"/> that are still being removed.</summary>
    private async Task<bool> AnyRemovingAsync(long loadBalancerId, Func<Backend, bool> which, CancellationToken ct)
    {
        var removing = await db.Backends.AsNoTracking().Where(b => b.LoadBalancerId == loadBalancerId && b.RemoveBy != null).ToListAsync(ct);
        return removing.Any(which);
    }

    /// <summary>
    /// The settings asked for, without the name while another backend of the pool still holds it
    /// (an old backend gives its name up once it is being removed; the end of the rollout names it).
    /// </summary>
    private static ValidBackend Fit(RolloutBackend spec, List<Backend> pool, Backend self, BackendState? state = null)
    {
        var taken = spec.Name is not null && pool.Any(b => !ReferenceEquals(b, self) && b.RemoveBy is null && b.Name == spec.Name);
        return spec.ToValid() with { Name = taken ? null : spec.Name, State = state ?? spec.State };
    }
}
