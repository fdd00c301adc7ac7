using System.Globalization;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// A write answered while HAProxy is known to be unreachable: the resource as stored (a
/// PENDING_* load balancer, a backend whose change is not live yet), with the reason in the
/// load balancer's <c>status_reason</c> or the backend's <c>pending_reason</c>, and
/// <c>Retry-After</c> saying when to look again (<see cref="HaProxyWatch"/> looks every
/// <see cref="ApplyOptions.WatchInterval"/> and wakes the reconciler as soon as HAProxy answers).
/// </summary>
public static class UnreachableAnswer
{
    /// <summary>
    /// The reason <paramref name="current"/>'s change is not live, when HAProxy being unreachable is
    /// it: set as its <c>status_reason</c>, with <c>Retry-After</c> on the response. Null otherwise.
    /// </summary>
    public static string? Apply(HttpResponse response, LoadBalancer current, bool settled, ApplyState state, ApplyOptions options)
    {
        if (settled || state.HaProxyUnreachable is null || current.Status.AttemptedRevision >= current.Revision)
        {
            return null;
        }
        // Not tracked: the row gets the same reason from the reconciler's next try.
        current.Status.Reason = StatusRecorder.UnreachableReason;
        var seconds = Math.Max(1, (int)Math.Ceiling(options.WatchInterval.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return StatusRecorder.UnreachableReason;
    }
}
