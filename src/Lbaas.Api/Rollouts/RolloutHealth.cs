using Lbaas.Api.Backends;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// Whether HAProxy serves a backend and its last health check passed, from <c>show stat</c>.
/// A server HAProxy has just added reports UP with check status INI before its first check: that
/// is not healthy. Without health checks, being in HAProxy is all there is to know.
/// </summary>
public static class RolloutHealth
{
    /// <summary>The server rows of one load balancer, by backend id.</summary>
    public static Dictionary<string, StatRow> Servers(IReadOnlyList<StatRow> stats, long loadBalancerId)
    {
        var proxy = Naming.Proxy(loadBalancerId);
        return stats.Where(r => r.Type == StatType.Server && r.ProxyName == proxy).ToDictionary(r => r.ServiceName);
    }

    /// <param name="row">The server's row; null when HAProxy does not have it (yet).</param>
    /// <param name="checksEnabled">Whether the load balancer checks its servers.</param>
    /// <param name="wanted">The state the backend is asked to have: a disabled one is never checked, so live is enough.</param>
    public static bool IsHealthy(StatRow? row, bool checksEnabled, BackendState wanted)
    {
        if (row is null)
        {
            return false;
        }
        if (!checksEnabled || wanted == BackendState.Disabled)
        {
            return true;
        }
        // Draining shows as UP with weight 0 (from the file) or DRAIN (from the runtime API).
        var up = row.Status.StartsWith("UP", StringComparison.Ordinal) || row.Status.StartsWith("DRAIN", StringComparison.Ordinal);
        return up && row.LastCheckPassed;
    }

    /// <summary>What HAProxy says of the server, for the message of a rollback.</summary>
    public static string Describe(StatRow? row) =>
        row is null ? "not in HAProxy" : $"{row.Status}, check {row.LastCheckStatus}{(row.LastCheck.Length > 0 ? $" ({row.LastCheck})" : "")}";
}
