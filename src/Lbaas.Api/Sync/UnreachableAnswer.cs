using System.Globalization;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Sync;

/// <summary>
/// A write answered while HAProxy is known to be unreachable: the load balancer as stored
/// (PENDING_*), with <c>status_reason</c> saying why and <c>Retry-After</c> saying when to look
/// again (the reconciler tries HAProxy every <see cref="ApplyOptions.UnreachablePoll"/>).
/// </summary>
public static class UnreachableAnswer
{
    public static void Apply(HttpResponse response, LoadBalancer current, bool settled, ApplyState state, ApplyOptions options)
    {
        if (settled || state.HaProxyUnreachable is null || current.Status.AttemptedRevision >= current.Revision)
        {
            return;
        }
        // Not tracked: the row gets the same reason from the reconciler's next try.
        current.Status.Reason = StatusRecorder.UnreachableReason;
        var seconds = Math.Max(1, (int)Math.Ceiling(options.UnreachablePoll.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
    }
}
