using Lbaas.Api.Backends;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.Rollouts;

/// <summary>A rolling replacement of the pool.</summary>
/// <param name="Backends">The pool to end with, as for PUT …/backends (at least one). Servers are matched by host:port: those not in the pool are new, those in the pool and not here are old.</param>
/// <param name="BatchSize">How many new backends join, and how many old ones leave, per batch (1-1000, default 1).</param>
/// <param name="Interval">Pause between batches, e.g. "30s" (0s to 24h, default "0s").</param>
/// <param name="DrainTimeout">How long an old backend may drain before its remaining sessions are cut, as DELETE's drain_timeout (0s to 1h, default Apply:DrainTimeout, 30s).</param>
/// <param name="HealthTimeout">How long a batch may take to pass its health checks before the rollout rolls back by itself (1s to 1h, default "60s").</param>
public sealed record RolloutRequest(
    List<BackendRequest?>? Backends = null,
    int? BatchSize = null,
    string? Interval = null,
    string? DrainTimeout = null,
    string? HealthTimeout = null);

/// <summary>A rollout and how far it got.</summary>
/// <param name="Id">The rollout's id.</param>
/// <param name="LoadBalancerId">The load balancer whose pool it replaces.</param>
/// <param name="State">in_progress, completed, rolling_back, rolled_back or failed.</param>
/// <param name="Phase">
/// Within the batch: adding (new backends join draining: checked, no traffic), checking (waiting until every backend added so far passes its checks),
/// removing (the batch's new backends take traffic; its old ones drain and leave), pausing (interval before the next batch), finishing (kept backends
/// take their new settings); rolling back: restoring, removing_added; done.
/// </param>
/// <param name="Batch">The batch under way, from 1 (equal to batches once all are through).</param>
/// <param name="Batches">How many batches the rollout has.</param>
/// <param name="BatchSize">Backends added and removed per batch.</param>
/// <param name="Interval">Pause between batches.</param>
/// <param name="DrainTimeout">How long an old backend may drain.</param>
/// <param name="HealthTimeout">How long a batch may take to pass its checks.</param>
/// <param name="NewTotal">Backends to add in all.</param>
/// <param name="OldTotal">Backends to remove in all.</param>
/// <param name="KeptTotal">Backends in both pools, kept (their settings change at the end).</param>
/// <param name="Added">New backends added so far, with their ids and whether they passed their checks when last looked at.</param>
/// <param name="Healthy">How many of the added backends passed their checks when last looked at.</param>
/// <param name="Removed">Old backends whose removal has started (they drain, then leave), with their ids.</param>
/// <param name="Message">Why the rollout rolled back or failed.</param>
/// <param name="Backends">The pool asked for.</param>
/// <param name="OriginalBackends">The pool when the rollout started: what a rollback restores.</param>
/// <param name="CreatedAt">When the rollout was asked for (UTC).</param>
/// <param name="UpdatedAt">When it last took a step (UTC).</param>
/// <param name="HealthDeadline">While checking: when the rollout rolls back if the added backends are not all healthy.</param>
/// <param name="NextStepAt">While pausing: when the next batch starts.</param>
/// <param name="FinishedAt">When it completed, rolled back or failed.</param>
public sealed record RolloutResponse(
    long Id,
    long LoadBalancerId,
    RolloutState State,
    RolloutPhase Phase,
    int Batch,
    int Batches,
    int BatchSize,
    string Interval,
    string DrainTimeout,
    string HealthTimeout,
    int NewTotal,
    int OldTotal,
    int KeptTotal,
    IReadOnlyList<AddedBackend> Added,
    int Healthy,
    IReadOnlyList<RolloutBackend> Removed,
    string? Message,
    IReadOnlyList<RolloutBackend> Backends,
    IReadOnlyList<RolloutBackend> OriginalBackends,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? HealthDeadline,
    DateTimeOffset? NextStepAt,
    DateTimeOffset? FinishedAt);

/// <summary>A backend the rollout added.</summary>
/// <param name="Id">The backend's id.</param>
/// <param name="Host">Its host.</param>
/// <param name="Port">Its port.</param>
/// <param name="Healthy">Whether it passed its health checks when last looked at.</param>
public sealed record AddedBackend(long Id, string Host, int Port, bool Healthy);

public static class RolloutMapping
{
    public static RolloutResponse ToResponse(this Rollout r)
    {
        var plan = RolloutPlan.Of(r.Original, r.Target, r.BatchSize);
        var added = r.Added.Select(a => new AddedBackend(a.Id ?? 0, a.Host, a.Port, r.HealthyIds.Contains(a.Id ?? 0))).ToList();
        return new RolloutResponse(
            r.Id,
            r.LoadBalancerId,
            r.State,
            r.Phase,
            Math.Min(r.Batch + 1, r.BatchCount),
            r.BatchCount,
            r.BatchSize,
            Duration(r.IntervalMs),
            Duration(r.DrainTimeoutMs),
            Duration(r.HealthTimeoutMs),
            plan.New.Count,
            plan.Old.Count,
            plan.Kept.Count,
            added,
            added.Count(a => a.Healthy),
            r.Original.Where(o => o.Id is { } id && r.RemovedIds.Contains(id)).ToList(),
            r.Message,
            r.Target,
            r.Original,
            r.CreatedAt,
            r.UpdatedAt,
            r.HealthDeadline,
            r.NextStepAt,
            r.FinishedAt);
    }

    private static string Duration(int milliseconds) => ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds));
}
