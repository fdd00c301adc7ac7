namespace Lbaas.Api.Rollouts;

/// <summary>What a step must do after <see cref="RolloutTransitions.Next"/> moved the rollout.</summary>
public enum RolloutAction
{
    /// <summary>Nothing changed: look again later.</summary>
    Wait,

    /// <summary>Save the rollout; it has not moved on (a deadline or the healthy list changed).</summary>
    Record,

    /// <summary>Save the rollout: it moved on.</summary>
    Save,

    /// <summary>Add the batch's new backends, draining (then <see cref="RolloutTransitions.Added"/>).</summary>
    Add,

    /// <summary>The batch is healthy: its new backends take traffic, its old ones drain (then <see cref="RolloutTransitions.Promoted"/>).</summary>
    Promote,

    /// <summary>Every batch is through: kept backends take their settings (then <see cref="RolloutTransitions.Completed"/>).</summary>
    Finish,

    /// <summary>Rolling back: the added backends drain, the original pool comes back (then <see cref="RolloutTransitions.Restored"/>).</summary>
    Restore,
}

/// <summary>
/// What one step saw of the world, gathered by <see cref="RolloutStepper"/> for the rollout's phase.
/// </summary>
/// <remarks>
/// HaProxyAnswered: show stat could be read (checking phase). Healthy: the added backends now
/// healthy, by id. Sick: how each other added backend looks, for the rollback message.
/// StillRemoving: some backend this phase waits for is still being removed (removing phases).
/// </remarks>
public sealed record RolloutSeen(bool HaProxyAnswered = false, IReadOnlyList<long>? Healthy = null, IReadOnlyList<string>? Sick = null, bool StillRemoving = false)
{
    public static readonly RolloutSeen Nothing = new();
}

/// <summary>
/// The rollout state machine, with no I/O and no clock: given the rollout, what a step saw and
/// the time, it moves the rollout's phase, batch, deadlines and message, and says what the step
/// must write (<see cref="RolloutAction"/>). <see cref="RolloutStepper"/> gathers what is seen
/// and persists; the phases and deadlines are unit-tested here on fake time.
/// </summary>
public static class RolloutTransitions
{
    /// <summary>How far the health deadline may lag behind a fresh one while HAProxy is silent before it is saved again.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(1);

    public static RolloutAction Next(Rollout rollout, RolloutSeen seen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(seen);
        switch (rollout.State, rollout.Phase)
        {
            case (RolloutState.InProgress, RolloutPhase.Adding):
                if (Plan(rollout).NewIn(rollout.Batch).Count > 0)
                {
                    return RolloutAction.Add;
                }
                ToChecking(rollout, now);
                return RolloutAction.Save;
            case (RolloutState.InProgress, RolloutPhase.Checking):
                return Check(rollout, seen, now);
            case (RolloutState.InProgress, RolloutPhase.Removing):
                if (seen.StillRemoving)
                {
                    return RolloutAction.Wait;
                }
                AfterBatch(rollout, now);
                return RolloutAction.Save;
            case (RolloutState.InProgress, RolloutPhase.Pausing):
                if (rollout.NextStepAt > now)
                {
                    return RolloutAction.Wait;
                }
                rollout.NextStepAt = null;
                NextBatch(rollout);
                return RolloutAction.Save;
            case (RolloutState.InProgress, RolloutPhase.Finishing):
                return RolloutAction.Finish;
            case (RolloutState.RollingBack, RolloutPhase.Restoring):
                return RolloutAction.Restore;
            case (RolloutState.RollingBack, RolloutPhase.RemovingAdded):
                if (seen.StillRemoving)
                {
                    return RolloutAction.Wait;
                }
                End(rollout, RolloutState.RolledBack, null, now);
                return RolloutAction.Save;
            default:
                End(rollout, RolloutState.Failed, $"Found in phase {rollout.Phase} while {rollout.State}.", now);
                return RolloutAction.Save;
        }
    }

    public static RolloutPlan Plan(Rollout rollout) => RolloutPlan.Of(rollout.Original, rollout.Target, rollout.BatchSize);

    /// <summary>The batch's new backends are in the pool (with their ids): their health is checked now.</summary>
    public static void Added(Rollout rollout, IEnumerable<RolloutBackend> added, DateTimeOffset now)
    {
        rollout.Added = [.. rollout.Added, .. added];
        ToChecking(rollout, now);
    }

    /// <summary>The batch's old backends are being removed; the next phase waits for them to leave.</summary>
    public static void Promoted(Rollout rollout, IEnumerable<long> removed)
    {
        rollout.RemovedIds = [.. rollout.RemovedIds, .. removed];
        rollout.Phase = RolloutPhase.Removing;
        rollout.HealthDeadline = null;
    }

    /// <param name="rollout">The rollout.</param>
    /// <param name="unnamed">Backends left without the name asked for, because another backend of the pool holds it.</param>
    /// <param name="now">The current time.</param>
    public static void Completed(Rollout rollout, IReadOnlyList<string> unnamed, DateTimeOffset now) =>
        End(rollout, RolloutState.Completed, unnamed.Count == 0 ? null
            : $"Completed, but another backend of the pool holds the name of {string.Join(", ", unnamed)}: left without a name.", now);

    /// <summary>The original pool is back; the added backends drain away.</summary>
    public static void Restored(Rollout rollout) => rollout.Phase = RolloutPhase.RemovingAdded;

    public static void StartRollback(Rollout rollout, string reason)
    {
        rollout.State = RolloutState.RollingBack;
        rollout.Phase = RolloutPhase.Restoring;
        rollout.Message = Truncate(reason);
        rollout.HealthDeadline = null;
        rollout.NextStepAt = null;
    }

    /// <summary>A rollout in progress rolls back; one rolling back already fails.</summary>
    public static void Abandon(Rollout rollout, string reason, DateTimeOffset now)
    {
        if (rollout.State == RolloutState.InProgress)
        {
            StartRollback(rollout, reason);
        }
        else
        {
            End(rollout, RolloutState.Failed, reason, now);
        }
    }

    public static void End(Rollout rollout, RolloutState state, string? message, DateTimeOffset now)
    {
        rollout.State = state;
        rollout.Phase = RolloutPhase.Done;
        rollout.Message = message is null ? rollout.Message : Truncate(message);
        rollout.FinishedAt = now;
        rollout.HealthDeadline = null;
        rollout.NextStepAt = null;
    }

    /// <summary>
    /// Every backend added so far must be healthy before any more old capacity goes. While HAProxy
    /// does not answer, the batch waits and gets its whole time again once it answers.
    /// </summary>
    private static RolloutAction Check(Rollout rollout, RolloutSeen seen, DateTimeOffset now)
    {
        if (!seen.HaProxyAnswered)
        {
            var deadline = now + TimeSpan.FromMilliseconds(rollout.HealthTimeoutMs);
            if (rollout.HealthDeadline is null || rollout.HealthDeadline < deadline - DeadlineSlack)
            {
                rollout.HealthDeadline = deadline;
                return RolloutAction.Record;
            }
            return RolloutAction.Wait;
        }
        var healthy = seen.Healthy ?? [];
        var changed = !healthy.SequenceEqual(rollout.HealthyIds);
        rollout.HealthyIds = [.. healthy];
        if (healthy.Count == rollout.Added.Count)
        {
            return RolloutAction.Promote;
        }
        if (now >= rollout.HealthDeadline)
        {
            StartRollback(rollout,
                $"Batch {rollout.Batch + 1} of {rollout.BatchCount} did not pass its health checks within {FormatMs(rollout.HealthTimeoutMs)}: {string.Join("; ", seen.Sick ?? [])}.");
            return RolloutAction.Save;
        }
        return changed ? RolloutAction.Record : RolloutAction.Wait;
    }

    /// <summary>The batch's old backends are gone: finish, pause for the interval, or start the next batch.</summary>
    private static void AfterBatch(Rollout rollout, DateTimeOffset now)
    {
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
            NextBatch(rollout);
        }
    }

    private static void NextBatch(Rollout rollout)
    {
        rollout.Batch++;
        rollout.Phase = RolloutPhase.Adding;
    }

    private static void ToChecking(Rollout rollout, DateTimeOffset now)
    {
        rollout.Phase = RolloutPhase.Checking;
        rollout.HealthDeadline = now + TimeSpan.FromMilliseconds(rollout.HealthTimeoutMs);
    }

    private static string Truncate(string message) => message.Length <= 4096 ? message : message[..4093] + "...";

    private static string FormatMs(int milliseconds) => Lbaas.HaProxy.Values.ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds));
}
