using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Sync;

/// <summary>
/// The end of every write: wait (bounded) until the change is live or has failed, unless the
/// client asked not to (<c>?wait=false</c> or <c>Prefer: respond-async</c>), then read the load
/// balancer as it now is. Not settled means the caller answers 202 with the PENDING_* status.
/// </summary>
public sealed class WriteCompletion(ApplyWaiter waiter, ApplyCoordinator coordinator, IOptions<ApplyOptions> options, LbaasDb db)
{
    public static bool WantsAsync(HttpRequest request) =>
        string.Equals(request.Query["wait"], "false", StringComparison.OrdinalIgnoreCase)
        || request.Headers["Prefer"].Any(v => v?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true);

    public async Task<(bool Settled, LoadBalancer? Current)> CompleteAsync(HttpContext http, long loadBalancerId, CancellationToken ct)
    {
        var settled = false;
        // Without a reconciler here another node applies: nothing in this process would wake the wait.
        if (WantsAsync(http.Request) || !options.Value.Enabled)
        {
            coordinator.RequestApply();
        }
        else
        {
            settled = await waiter.ApplyAndWaitAsync(db, loadBalancerId, ct);
        }
        var current = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == loadBalancerId, ct);
        if (current is not null)
        {
            ETags.Set(http.Response, current.Version);
        }
        return (settled, current);
    }
}
