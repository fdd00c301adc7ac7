using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Revisions;
using Lbaas.Api.Sync;
using Lbaas.HaProxy.Config;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// Takes one step of one rollout: one short transaction that changes the pool (through
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
        var plan = RolloutPlan.Of(rollout.Original, rollout.Target, rollout.BatchSize);
        try
        {
            return (rollout.State, rollout.Phase) switch
            {
                (RolloutState.InProgress, RolloutPhase.Adding) => await AddAsync(rollout, plan, ct),
                (RolloutState.InProgress, RolloutPhase.Checking) => await CheckAsync(rollout, plan, stats, ct),
                (RolloutState.InProgress, RolloutPhase.Removing) => await AwaitRemovedAsync(rollout, plan, ct),
                (RolloutState.InProgress, RolloutPhase.Pausing) => await ResumeAsync(rollout, ct),
                (RolloutState.InProgress, RolloutPhase.Finishing) => await FinishAsync(rollout, ct),
                (RolloutState.RollingBack, RolloutPhase.Restoring) => await RestoreAsync(rollout, ct),
                (RolloutState.RollingBack, RolloutPhase.RemovingAdded) => await AwaitAddedRemovedAsync(rollout, ct),
                _ => await SaveAsync(End(rollout, RolloutState.Failed, $"Found in phase {rollout.Phase} while {rollout.State}."), ct),
            };
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
            var reason = $"Another backend of the pool holds a host:port or name the rollout needs ({DbErrors.UniqueViolation(e)}).";
            return await SaveAsync(fresh.State == RolloutState.InProgress ? StartRollback(fresh, reason) : End(fresh, RolloutState.Failed, reason), ct);
        }
    }

    /// <summary>The batch's new backends join draining: HAProxy checks them, but sends them nothing until the batch is healthy.</summary>
    private async Task<bool> AddAsync(Rollout rollout, RolloutPlan plan, CancellationToken ct)
    {
        var batch = plan.NewIn(rollout.Batch);
        if (batch.Count == 0)
        {
            return await SaveAsync(ToChecking(rollout, time.GetUtcNow()), ct);
        }
        return await PoolStepAsync(rollout, async (pool, now) =>
        {
            var added = new List<(RolloutBackend Spec, Backend Backend)>();
            foreach (var spec in batch)
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
            rollout.Added = [.. rollout.Added, .. added.Select(a => a.Spec with { Id = a.Backend.Id })];
            ToChecking(rollout, now);
            logger.LogInformation("Rollout {RolloutId}: batch {Batch} of {Batches} added backend(s) {BackendIds} to load balancer {LoadBalancerId}",
                rollout.Id, rollout.Batch + 1, rollout.BatchCount, string.Join(",", added.Select(a => a.Backend.Id)), rollout.LoadBalancerId);
        }, ct);
    }

    /// <summary>
    /// Every backend added so far must be healthy before any more old capacity goes: then the
    /// batch's new backends take traffic and its old ones start draining, in one write.
    /// </summary>
    private async Task<bool> CheckAsync(Rollout rollout, RolloutPlan plan, RolloutStats stats, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rows = await stats.ReadAsync(ct);
        if (rows is null)
        {
            // HAProxy does not answer: wait for it, and give the batch its whole time once it answers again.
            var deadline = now + TimeSpan.FromMilliseconds(rollout.HealthTimeoutMs);
            if (rollout.HealthDeadline is null || rollout.HealthDeadline < deadline - TimeSpan.FromSeconds(1))
            {
                rollout.HealthDeadline = deadline;
                await SaveAsync(rollout, ct);
            }
            return false;
        }
        var checks = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == rollout.LoadBalancerId)
            .Select(l => (bool?)l.HealthCheck.Enabled).FirstOrDefaultAsync(ct);
        if (checks is null)
        {
            return false;
        }
        var ids = rollout.Added.Select(a => a.Id!.Value).ToList();
        var present = await db.Backends.AsNoTracking()
            .Where(b => b.LoadBalancerId == rollout.LoadBalancerId && ids.Contains(b.Id) && b.RemoveBy == null).Select(b => b.Id).ToListAsync(ct);
        var servers = RolloutHealth.Servers(rows, rollout.LoadBalancerId);
        var healthy = rollout.Added
            .Where(a => present.Contains(a.Id!.Value) && RolloutHealth.IsHealthy(servers.GetValueOrDefault(Naming.Server(a.Id.Value)), checks.Value, a.State))
            .Select(a => a.Id!.Value).ToList();
        var changed = !healthy.SequenceEqual(rollout.HealthyIds);
        rollout.HealthyIds = healthy;
        if (healthy.Count == rollout.Added.Count)
        {
            return await PromoteAsync(rollout, plan, ct);
        }
        if (now >= rollout.HealthDeadline)
        {
            var sick = rollout.Added.Where(a => !healthy.Contains(a.Id!.Value)).Select(a =>
                $"backend {a.Id} ({a.Host}:{a.Port}) {(present.Contains(a.Id!.Value) ? RolloutHealth.Describe(servers.GetValueOrDefault(Naming.Server(a.Id.Value))) : "left the pool")}");
            return await SaveAsync(StartRollback(rollout,
                $"Batch {rollout.Batch + 1} of {rollout.BatchCount} did not pass its health checks within {FormatMs(rollout.HealthTimeoutMs)}: {string.Join("; ", sick)}."), ct);
        }
        if (changed)
        {
            await SaveAsync(rollout, ct);
        }
        return false;
    }

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
            rollout.RemovedIds = [.. rollout.RemovedIds, .. removed];
            rollout.Phase = RolloutPhase.Removing;
            rollout.HealthDeadline = null;
            logger.LogInformation("Rollout {RolloutId}: batch {Batch} of {Batches} is healthy; removing backend(s) {BackendIds}",
                rollout.Id, rollout.Batch + 1, rollout.BatchCount, string.Join(",", removed));
        }, ct);

    /// <summary>The batch's old backends drain; the reconciler deletes their rows once they are out of HAProxy.</summary>
    private async Task<bool> AwaitRemovedAsync(Rollout rollout, RolloutPlan plan, CancellationToken ct)
    {
        var old = plan.OldIn(rollout.Batch);
        if (await AnyRemovingAsync(rollout.LoadBalancerId, b => old.Any(o => o.SameEndpoint(b)), ct))
        {
            return false;
        }
        var now = time.GetUtcNow();
        if (rollout.Batch + 1 >= rollout.BatchCount)
        {
            rollout.Phase = RolloutPhase.Finishing;
        }
        else if (rollout.IntervalMs > 0)
        {
            rollout.Phase = RolloutPhase.Pausing;
            rollout.NextStepAt = now + TimeSpan.FromMilliseconds(rollout.IntervalMs);
        }
        else
        {
            rollout.Batch++;
            rollout.Phase = RolloutPhase.Adding;
        }
        rollout.UpdatedAt = now;
        return await SaveAsync(rollout, ct);
    }

    private async Task<bool> ResumeAsync(Rollout rollout, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (rollout.NextStepAt > now)
        {
            return false;
        }
        rollout.Batch++;
        rollout.Phase = RolloutPhase.Adding;
        rollout.NextStepAt = null;
        rollout.UpdatedAt = now;
        return await SaveAsync(rollout, ct);
    }

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
            End(rollout, RolloutState.Completed, unnamed.Count == 0 ? null
                : $"Completed, but another backend of the pool holds the name of {string.Join(", ", unnamed)}: left without a name.");
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
            rollout.Phase = RolloutPhase.RemovingAdded;
            logger.LogWarning("Rollout {RolloutId} of load balancer {LoadBalancerId} rolling back: {Reason}", rollout.Id, rollout.LoadBalancerId, rollout.Message);
        }, ct);

    private async Task<bool> AwaitAddedRemovedAsync(Rollout rollout, CancellationToken ct)
    {
        var ids = rollout.Added.Select(a => a.Id!.Value).ToHashSet();
        if (await AnyRemovingAsync(rollout.LoadBalancerId, b => ids.Contains(b.Id), ct))
        {
            return false;
        }
        logger.LogInformation("Rollout {RolloutId} of load balancer {LoadBalancerId} rolled back", rollout.Id, rollout.LoadBalancerId);
        return await SaveAsync(End(rollout, RolloutState.RolledBack, null), ct);
    }

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
            End(rollout, RolloutState.Failed, "The load balancer is being deleted.");
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
            await revisions.RecordAsync(rollout.LoadBalancerId, new RevisionCause(RevisionActions.Rollout, null, "rollout", $"rollout {rollout.Id}, {rollout.State}"), ct);
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

    private static Rollout ToChecking(Rollout rollout, DateTimeOffset now)
    {
        rollout.Phase = RolloutPhase.Checking;
        rollout.HealthDeadline = now + TimeSpan.FromMilliseconds(rollout.HealthTimeoutMs);
        return rollout;
    }

    private static Rollout StartRollback(Rollout rollout, string reason)
    {
        rollout.State = RolloutState.RollingBack;
        rollout.Phase = RolloutPhase.Restoring;
        rollout.Message = Truncate(reason);
        rollout.HealthDeadline = null;
        rollout.NextStepAt = null;
        return rollout;
    }

    private Rollout End(Rollout rollout, RolloutState state, string? message)
    {
        rollout.State = state;
        rollout.Phase = RolloutPhase.Done;
        rollout.Message = message is null ? rollout.Message : Truncate(message);
        rollout.FinishedAt = time.GetUtcNow();
        rollout.HealthDeadline = null;
        rollout.NextStepAt = null;
        return rollout;
    }

    private static string Truncate(string message) => message.Length <= 4096 ? message : message[..4093] + "...";

    private static string FormatMs(int milliseconds) => Lbaas.HaProxy.Values.ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds));
}
