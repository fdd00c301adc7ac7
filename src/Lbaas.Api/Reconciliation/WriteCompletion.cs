using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// The end of every write: wait (bounded) until the change is live or has failed, unless the
/// client asked not to (<c>?wait=false</c> or <c>Prefer: respond-async</c>), then read the load
/// balancer as it now is. Not settled means the caller answers 202 with the PENDING_* status.
/// With <c>?wait_for=online</c>, settled also means the load balancer went ONLINE (or, without
/// health checks, NO_MONITOR); a load balancer in ERROR answers at once, as without it.
/// While HAProxy is known to be unreachable the answer is 202 at once, with the reason
/// (<see cref="WriteResult.PendingReason"/>) and a <c>Retry-After</c> (<see cref="UnreachableAnswer"/>).
/// </summary>
public sealed class WriteCompletion(ApplyWaiter waiter, ApplyCoordinator coordinator, OnlineWaiter online, ApplyState state, IOptions<ApplyOptions> options, LbaasDb db)
{
    public static bool WantsAsync(HttpRequest request) =>
        string.Equals(request.Query["wait"], "false", StringComparison.OrdinalIgnoreCase)
        || request.Headers["Prefer"].Any(v => v?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true);

    /// <param name="http">The request: whether it asked not to wait, and the response for the ETag.</param>
    /// <param name="loadBalancerId">The load balancer written.</param>
    /// <param name="ct">The request's cancellation.</param>
    /// <param name="removing">Backends this write started removing: settled also means they have left HAProxy.</param>
    public async Task<WriteResult> CompleteAsync(
        HttpContext http, long loadBalancerId, CancellationToken ct, IReadOnlyCollection<long>? removing = null)
    {
        var settled = await WaitAsync(http, async token =>
            await ApplyWaiter.IsSettledAsync(db, loadBalancerId, token)
            && (removing is not { Count: > 0 } || !await db.Backends.AnyAsync(b => removing.Contains(b.Id), token)), ct);
        var current = await ReadAsync(loadBalancerId, ct);
        if (settled && current?.Status.ProvisioningStatus == ProvisioningStatus.Active && OnlineWaiter.Requested(http.Request))
        {
            settled = await online.WaitAsync(loadBalancerId, ct);
            current = await ReadAsync(loadBalancerId, ct);
        }
        string? reason = null;
        if (current is not null)
        {
            ETags.Set(http.Response, current.Version);
            reason = UnreachableAnswer.Apply(http.Response, current, settled, state, options.Value);
        }
        return new WriteResult(settled, current, reason);
    }

    private Task<LoadBalancer?> ReadAsync(long loadBalancerId, CancellationToken ct) =>
        db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == loadBalancerId, ct);

    /// <summary>
    /// The end of a backend DELETE: wait (bounded) until the drained backend has left HAProxy and
    /// its row is gone. Returns the backend while it is still being removed (with the reason when
    /// HAProxy being unreachable holds it up), null once it is gone.
    /// </summary>
    public async Task<(Backend? Remaining, string? PendingReason)> CompleteRemovalAsync(HttpContext http, long loadBalancerId, long backendId, CancellationToken ct)
    {
        var settled = await WaitAsync(http, async token => !await db.Backends.AnyAsync(b => b.Id == backendId, token), ct);
        var remaining = await db.Backends.AsNoTracking().FirstOrDefaultAsync(b => b.Id == backendId, ct);
        var lb = remaining is null ? null : await db.LoadBalancers.AsNoTracking().FirstOrDefaultAsync(l => l.Id == loadBalancerId, ct);
        return (remaining, lb is null ? null : UnreachableAnswer.Apply(http.Response, lb, settled, state, options.Value));
    }

    /// <summary>Waits (bounded) until <paramref name="isSettled"/> holds after an apply, unless the client asked not to wait.</summary>
    private async Task<bool> WaitAsync(HttpContext http, Func<CancellationToken, Task<bool>> isSettled, CancellationToken ct)
    {
        // Without a reconciler here another node applies: nothing in this process would wake the wait.
        if (WantsAsync(http.Request) || !options.Value.Enabled)
        {
            coordinator.RequestApply();
            return false;
        }
        return await waiter.ApplyAndWaitAsync(isSettled, ct);
    }
}

/// <summary>How a write ended: whether its change is live (settled), the load balancer as it now is, and why it is not live yet when known.</summary>
/// <param name="Settled">Live in HAProxy (or failed there) within the write wait.</param>
/// <param name="Current">The load balancer as read after the wait; null if it is gone.</param>
/// <param name="PendingReason">Why the change is not live yet, when that is known (HAProxy unreachable); null otherwise.</param>
public readonly record struct WriteResult(bool Settled, LoadBalancer? Current, string? PendingReason);
