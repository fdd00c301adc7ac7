using Lbaas.Api.Metrics;
using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Tests.Unit.Metrics;

public sealed class ApplyLabelsTests
{
    private static ApplyResult Result(ApplyOutcome outcome, ApplyPath path = ApplyPath.None, int runtimeCommands = 0) =>
        new() { Outcome = outcome, Message = "", Path = path, RuntimeCommands = runtimeCommands };

    [Fact]
    public void Outcome_EveryValue_HasItsOwnSnakeCaseName()
    {
        var names = Enum.GetValues<ApplyOutcome>().Select(o => ApplyLabels.Outcome(Result(o))).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z]+)*$", n));
        Assert.Equal("haproxy_unavailable", ApplyLabels.Outcome(Result(ApplyOutcome.HaProxyUnavailable)));
        Assert.Equal("runtime_applied", ApplyLabels.Outcome(Result(ApplyOutcome.RuntimeApplied)));
    }

    [Fact]
    public void RuntimeFellBack_RuntimeCommandsSentButTheApplyReloaded_IsAFallback()
    {
        Assert.True(ApplyLabels.RuntimeFellBack(Result(ApplyOutcome.Reloaded, ApplyPath.Reload, runtimeCommands: 3)));
        // The reload after the refused commands failed too: still a fallback.
        Assert.True(ApplyLabels.RuntimeFellBack(Result(ApplyOutcome.ReloadFailed, ApplyPath.None, runtimeCommands: 3)));
        Assert.False(ApplyLabels.RuntimeFellBack(Result(ApplyOutcome.RuntimeApplied, ApplyPath.Runtime, runtimeCommands: 3)));
        Assert.False(ApplyLabels.RuntimeFellBack(Result(ApplyOutcome.Reloaded, ApplyPath.Reload)));
    }

    [Fact]
    public void PathAndResult_FollowTheApplyResult()
    {
        Assert.Equal(("runtime", "success"), (ApplyLabels.Path(Result(ApplyOutcome.RuntimeApplied, ApplyPath.Runtime)), ApplyLabels.Result(Result(ApplyOutcome.RuntimeApplied, ApplyPath.Runtime))));
        Assert.Equal(("none", "failure"), (ApplyLabels.Path(Result(ApplyOutcome.Invalid)), ApplyLabels.Result(Result(ApplyOutcome.Invalid))));
        Assert.Equal(("none", "success"), (ApplyLabels.Path(Result(ApplyOutcome.Unchanged)), ApplyLabels.Result(Result(ApplyOutcome.Unchanged))));
    }
}
