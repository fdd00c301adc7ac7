using Lbaas.Api.Metrics;
using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Tests.Unit.Metrics;

public sealed class ConvergenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static ApplyResult Result(ApplyOutcome outcome, params long[] excluded) => new()
    {
        Outcome = outcome,
        Message = "",
        Excluded = [.. excluded.Select(id => new ExcludedLoadBalancer(id, "port taken"))],
    };

    private static DesiredChange Change(long id, long revision, long applied, double secondsAgo) => new(id, revision, applied, Now.AddSeconds(-secondsAgo));

    [Fact]
    public void Assess_LiveApply_EveryNewChangeConvergesAndAppliedIsDesired()
    {
        var report = Convergence.Assess([Change(1, 10, 4, 2), Change(2, 12, 12, 60), Change(3, 15, 0, 0.5)], Result(ApplyOutcome.Reloaded), Now);

        Assert.Equal(15, report.Desired);
        Assert.Equal(15, report.Applied);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5)], report.Converged);
        Assert.Null(report.OldestUnapplied);
    }

    [Fact]
    public void Assess_FailedApply_NothingConvergesAndAppliedStopsBelowTheFirstUnappliedChange()
    {
        var report = Convergence.Assess([Change(1, 10, 4, 2), Change(2, 12, 12, 60), Change(3, 15, 0, 0.5)], Result(ApplyOutcome.ReloadFailed), Now);

        Assert.Equal(15, report.Desired);
        Assert.Equal(9, report.Applied);
        Assert.Empty(report.Converged);
        Assert.Equal(Now.AddSeconds(-2), report.OldestUnapplied);
    }

    [Fact]
    public void Assess_LoadBalancerLeftOut_StaysUnappliedWhileTheOthersConverge()
    {
        var report = Convergence.Assess([Change(1, 10, 4, 2), Change(3, 15, 0, 0.5)], Result(ApplyOutcome.PartiallyApplied, 3), Now);

        Assert.Equal(14, report.Applied);
        Assert.Equal([TimeSpan.FromSeconds(2)], report.Converged);
        Assert.Equal(Now.AddSeconds(-0.5), report.OldestUnapplied);
    }

    [Fact]
    public void Assess_WriteStampedAfterNow_ConvergesInZeroNotNegativeTime()
    {
        var report = Convergence.Assess([Change(1, 3, 0, -1)], Result(ApplyOutcome.RuntimeApplied), Now);

        Assert.Equal([TimeSpan.Zero], report.Converged);
    }

    [Fact]
    public void Assess_NoLoadBalancer_IsRevisionZeroAndConverged()
    {
        var report = Convergence.Assess([], Result(ApplyOutcome.HaProxyUnavailable), Now);

        Assert.Equal((0L, 0L, 0, (DateTimeOffset?)null), (report.Desired, report.Applied, report.Converged.Count, report.OldestUnapplied));
    }
}
