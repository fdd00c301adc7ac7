using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Metrics;

/// <summary>A load balancer as one apply saw it: its newest revision, the one HAProxy served before, and when it was written.</summary>
public sealed record DesiredChange(long LoadBalancerId, long Revision, long AppliedRevision, DateTimeOffset WrittenAt);

/// <summary>What one apply did for convergence.</summary>
/// <remarks>
/// Desired: the highest revision in the desired state. Applied: every change up to this revision
/// is live (below Desired while some load balancer's newest change is not). Converged: for each
/// change that went live with this apply, the time since it was written. OldestUnapplied: when the
/// oldest change that is still not live was written; null when everything is.
/// </remarks>
public sealed record ConvergenceReport(long Desired, long Applied, IReadOnlyList<TimeSpan> Converged, DateTimeOffset? OldestUnapplied);

/// <summary>Judges convergence from the desired state an apply read and its result, as a pure function.</summary>
public static class Convergence
{
    public static ConvergenceReport Assess(IReadOnlyList<DesiredChange> desired, ApplyResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(result);
        var excluded = result.Excluded.Select(e => e.Id).ToHashSet();
        var converged = new List<TimeSpan>();
        DateTimeOffset? oldest = null;
        long? firstUnapplied = null;
        foreach (var change in desired.Where(c => c.AppliedRevision < c.Revision))
        {
            if (result.IsLive && !excluded.Contains(change.LoadBalancerId))
            {
                converged.Add(now > change.WrittenAt ? now - change.WrittenAt : TimeSpan.Zero);
                continue;
            }
            oldest = oldest is { } o && o <= change.WrittenAt ? o : change.WrittenAt;
            firstUnapplied = Math.Min(firstUnapplied ?? long.MaxValue, change.Revision);
        }
        var top = desired.Count == 0 ? 0 : desired.Max(c => c.Revision);
        return new ConvergenceReport(top, firstUnapplied is { } first ? first - 1 : top, converged, oldest);
    }
}
