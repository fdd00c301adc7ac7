using Lbaas.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// Lets a write answer once its change is live or has failed: it waits until an apply has tried
/// the load balancer's current revision (or removed it), bounded by <see cref="ApplyOptions.WriteWait"/>.
/// While HAProxy is known to be unreachable it does not wait at all: nothing can go live until it answers.
/// </summary>
public sealed class ApplyWaiter(ApplyCoordinator coordinator, ApplyState state, IOptions<ApplyOptions> options, TimeProvider time)
{
    /// <summary>Asks for an apply and waits, after each finished apply, until <paramref name="isSettled"/> holds; false when the wait ran out first.</summary>
    public Task<bool> ApplyAndWaitAsync(Func<CancellationToken, Task<bool>> isSettled, CancellationToken ct)
    {
        coordinator.RequestApply();
        return coordinator.Applied.WaitUntilAsync(async token =>
            await isSettled(token) ? true
            : state.HaProxyUnreachable is not null ? false
            : null,
            options.Value.WriteWait, time, ct);
    }

    /// <summary>An apply has tried the load balancer's current revision, or it is gone.</summary>
    public static async Task<bool> IsSettledAsync(LbaasDb db, long loadBalancerId, CancellationToken ct)
    {
        var state = await db.LoadBalancers.AsNoTracking()
            .Where(l => l.Id == loadBalancerId)
            .Select(l => new { l.Revision, l.Status.AttemptedRevision })
            .FirstOrDefaultAsync(ct);
        return state is null || state.AttemptedRevision >= state.Revision;
    }
}
