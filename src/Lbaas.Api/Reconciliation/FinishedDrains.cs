using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// Which backends being removed leave HAProxy in this apply. A backend first drains (it is in the
/// desired model as draining); it is taken out once HAProxy shows it drained with no session and
/// nothing queued, or once its <c>remove_by</c> has passed, whatever it still serves.
/// </summary>
public static class FinishedDrains
{
    /// <param name="loadBalancers">The load balancers that should be live.</param>
    /// <param name="stats"><c>show stat</c> of the running worker; null when it could not be read (then only deadlines count).</param>
    /// <param name="now">The current time.</param>
    public static IReadOnlySet<long> Due(IEnumerable<LoadBalancer> loadBalancers, IReadOnlyList<StatRow>? stats, DateTimeOffset now)
    {
        var servers = stats?.Where(r => r.Type == StatType.Server).ToDictionary(r => (r.ProxyName, r.ServiceName));
        var due = new HashSet<long>();
        foreach (var lb in loadBalancers)
        {
            foreach (var backend in lb.Backends.Where(b => b.RemoveBy is not null))
            {
                if (backend.RemoveBy <= now || servers is not null && IsIdle(servers, lb.Id, backend.Id))
                {
                    due.Add(backend.Id);
                }
            }
        }
        return due;
    }

    /// <summary>True while some backend still drains: the reconciler then looks again soon.</summary>
    public static bool Pending(IEnumerable<LoadBalancer> loadBalancers, IReadOnlySet<long> due) =>
        loadBalancers.Any(lb => lb.Backends.Any(b => b.RemoveBy is not null && !due.Contains(b.Id)));

    /// <summary>Not in HAProxy at all, or drained (or in maintenance, or down: no new traffic either way) with no session and no queue.</summary>
    private static bool IsIdle(Dictionary<(string, string), StatRow> servers, long loadBalancerId, long backendId)
    {
        if (!servers.TryGetValue((Naming.Proxy(loadBalancerId), Naming.Server(backendId)), out var row))
        {
            return true;
        }
        var drained = row.Weight == 0
            || row.Status.StartsWith("DRAIN", StringComparison.Ordinal)
            || row.Status.StartsWith("MAINT", StringComparison.Ordinal)
            || row.Status.StartsWith("DOWN", StringComparison.Ordinal);
        return drained && row.CurrentSessions == 0 && row.CurrentQueue is null or 0;
    }
}
