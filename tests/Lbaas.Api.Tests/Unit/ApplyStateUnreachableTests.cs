using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Applying;
using Microsoft.AspNetCore.Http;

namespace Lbaas.Api.Tests.Unit;

/// <summary>HAProxy known to be unreachable: when it is set and cleared, and what a write answers meanwhile.</summary>
public sealed class ApplyStateUnreachableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ApplyResult Result(ApplyOutcome outcome) => new() { Outcome = outcome, Message = outcome.ToString() };

    [Fact]
    public void Record_UnavailableTwice_KeepsWhenItStarted()
    {
        var state = new ApplyState();
        state.Record(Result(ApplyOutcome.HaProxyUnavailable), 1, T0);
        state.Record(Result(ApplyOutcome.HaProxyUnavailable), 1, T0.AddSeconds(5));
        Assert.Equal(T0, state.HaProxyUnreachable?.Since);
    }

    [Theory]
    [InlineData(ApplyOutcome.Reloaded)]
    [InlineData(ApplyOutcome.Unchanged)]
    [InlineData(ApplyOutcome.ReloadFailed)]
    [InlineData(ApplyOutcome.Invalid)]
    public void Record_AnyApplyThatReachedHaProxy_ClearsUnreachable(ApplyOutcome outcome)
    {
        var state = new ApplyState();
        state.MarkUnreachable("no answer", T0);
        state.Record(Result(outcome), 1, T0.AddSeconds(1));
        Assert.Null(state.HaProxyUnreachable);
    }

    [Fact]
    public void MarkUnreachable_AlreadyUnreachable_KeepsTheFirst()
    {
        var state = new ApplyState();
        state.Record(Result(ApplyOutcome.HaProxyUnavailable), 1, T0);
        state.MarkUnreachable("watch", T0.AddSeconds(3));
        Assert.Equal(T0, state.HaProxyUnreachable?.Since);
    }

    [Fact]
    public void UnreachableAnswer_PendingWhileUnreachable_SetsReasonAndRetryAfter()
    {
        var state = new ApplyState();
        state.MarkUnreachable("no answer", T0);
        var http = new DefaultHttpContext();
        var lb = new LoadBalancer { Name = "web", BindAddress = "127.0.0.1", Revision = 7, Status = new LoadBalancerStatus { AttemptedRevision = 6 } };

        var reason = UnreachableAnswer.Apply(http.Response, lb, settled: false, state, new ApplyOptions { WatchInterval = TimeSpan.FromMilliseconds(250) });

        Assert.Equal(StatusRecorder.UnreachableReason, reason);
        Assert.Equal(StatusRecorder.UnreachableReason, lb.Status.Reason);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void UnreachableAnswer_HaProxyAnswers_LeavesTheAnswerAlone()
    {
        var http = new DefaultHttpContext();
        var lb = new LoadBalancer { Name = "web", BindAddress = "127.0.0.1", Revision = 7, Status = new LoadBalancerStatus { AttemptedRevision = 6, Reason = null } };

        var reason = UnreachableAnswer.Apply(http.Response, lb, settled: false, new ApplyState(), new ApplyOptions());

        Assert.Null(reason);
        Assert.Null(lb.Status.Reason);
        Assert.False(http.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public void UnreachableAnswer_AlreadyAttemptedWhileUnreachable_LeavesTheAnswerAlone()
    {
        var state = new ApplyState();
        state.MarkUnreachable("no answer", T0);
        var http = new DefaultHttpContext();
        var lb = new LoadBalancer { Name = "web", BindAddress = "127.0.0.1", Revision = 7, Status = new LoadBalancerStatus { AttemptedRevision = 7, Reason = "invalid" } };

        var reason = UnreachableAnswer.Apply(http.Response, lb, settled: false, state, new ApplyOptions());

        Assert.Null(reason);
        Assert.Equal("invalid", lb.Status.Reason);
    }
}
