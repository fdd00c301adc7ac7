using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Applying;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// Writes what an apply achieved back to the statuses. Every update is conditional on the
/// revision the apply saw, so a write that arrived meanwhile stays PENDING for the next apply,
/// and rows already right are not rewritten (a tick with nothing to do writes nothing). A status
/// row is re-checked at its newest version while the joined load balancer row is not: hence the
/// explicit PendingDelete guard, so a DELETE committed mid-update is never overwritten.
/// </summary>
public static class StatusRecorder
{
    public static async Task RecordAsync(LbaasDb db, IReadOnlyList<LoadBalancer> snapshot, ApplyResult result, DateTimeOffset now, CancellationToken ct)
    {
        if (result.Outcome == ApplyOutcome.HaProxyUnavailable)
        {
            await MarkWaitingAsync(db, snapshot, ct);
            return;
        }
        var excluded = result.Excluded.ToDictionary(e => e.Id, e => e.Reason);
        var live = new List<LoadBalancer>();
        var failed = new List<(LoadBalancer Lb, string Reason)>();
        var deleted = new List<LoadBalancer>();
        foreach (var lb in snapshot)
        {
            if (lb.Status.ProvisioningStatus == ProvisioningStatus.PendingDelete)
            {
                if (result.IsLive)
                {
                    deleted.Add(lb);
                }
            }
            else if (result.IsLive)
            {
                if (excluded.TryGetValue(lb.Id, out var reason))
                {
                    failed.Add((lb, reason));
                }
                else
                {
                    live.Add(lb);
                }
            }
            else if (lb.Status.AttemptedRevision < lb.Revision)
            {
                // The whole configuration was refused: blame what changed since the last attempt.
                failed.Add((lb, result.Message));
            }
        }
        await MarkLiveAsync(db, live, now, ct);
        await MarkFailedAsync(db, failed, now, ct);
        await DeleteAsync(db, deleted, ct);
    }

    /// <summary>
    /// Nothing reached HAProxy: the load balancers still PENDING say why (<see cref="UnreachableReason"/>),
    /// keep their status and attempted revision, and lose the reason at the next apply that reaches it.
    /// </summary>
    private static async Task MarkWaitingAsync(LbaasDb db, IReadOnlyList<LoadBalancer> snapshot, CancellationToken ct)
    {
        var ids = snapshot.Where(l => l.Status.AttemptedRevision < l.Revision).Select(l => l.Id).ToArray();
        if (ids.Length > 0)
        {
            await db.MarkWaitingAsync(ids, UnreachableReason, ct);
        }
    }

    /// <summary>The <c>status_reason</c> of a change waiting for HAProxy to answer again.</summary>
    public const string UnreachableReason = "HAProxy is unreachable (its master socket does not answer); the change is stored and goes live when HAProxy answers again.";

    private static async Task MarkLiveAsync(LbaasDb db, List<LoadBalancer> live, DateTimeOffset now, CancellationToken ct)
    {
        if (live.Count > 0)
        {
            await db.MarkLiveAsync(live.Select(l => l.Id).ToArray(), live.Select(l => l.Revision).ToArray(), now, ct);
        }
    }

    private static async Task MarkFailedAsync(LbaasDb db, List<(LoadBalancer Lb, string Reason)> failed, DateTimeOffset now, CancellationToken ct)
    {
        if (failed.Count > 0)
        {
            await db.MarkFailedAsync(failed.Select(f => f.Lb.Id).ToArray(), failed.Select(f => f.Lb.Revision).ToArray(),
                failed.Select(f => Truncate(f.Reason)).ToArray(), now, ct);
        }
    }

    private static async Task DeleteAsync(LbaasDb db, List<LoadBalancer> deleted, CancellationToken ct)
    {
        if (deleted.Count > 0)
        {
            await db.DeleteRemovedAsync(deleted.Select(l => l.Id).ToArray(), deleted.Select(l => l.Revision).ToArray(), ct);
        }
    }

    private static string Truncate(string reason) => reason.Length <= 4096 ? reason : reason[..4093] + "...";
}
