using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Rollouts;
using Lbaas.HaProxy.Stats;
using Microsoft.Extensions.Time.Testing;

namespace Lbaas.Api.Tests.Unit;

/// <summary>The rollout state machine on fake time: every phase, the health deadline and the interval, in milliseconds.</summary>
public sealed class RolloutTransitionsTests
{
    private const int HealthTimeoutMs = 30_000;
    private const int IntervalMs = 10_000;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    private static RolloutBackend Spec(int port, long? id = null) => new(id, "127.0.0.1", port, 1, null, false, BackendState.Enabled);

    /// <summary>Two old backends replaced by two new ones, one of each per batch.</summary>
    private static Rollout TwoBatches(int intervalMs = 0) => new()
    {
        Id = 1,
        LoadBalancerId = 7,
        State = RolloutState.InProgress,
        Phase = RolloutPhase.Adding,
        BatchSize = 1,
        BatchCount = 2,
        IntervalMs = intervalMs,
        DrainTimeoutMs = 5_000,
        HealthTimeoutMs = HealthTimeoutMs,
        Original = [Spec(9001, id: 1), Spec(9002, id: 2)],
        Target = [Spec(9101), Spec(9102)],
    };

    private static RolloutSeen Healthy(params long[] ids) => new(HaProxyAnswered: true, Healthy: ids, Sick: []);

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Adding_BatchWithNewBackends_AsksToAddThem()
    {
        var rollout = TwoBatches();

        Assert.Equal(RolloutAction.Add, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(RolloutPhase.Adding, rollout.Phase);
    }

    [Fact]
    public void Added_StartsCheckingWithTheWholeHealthTimeout()
    {
        var rollout = TwoBatches();

        RolloutTransitions.Added(rollout, [Spec(9101, id: 11)], Now);

        Assert.Equal(RolloutPhase.Checking, rollout.Phase);
        Assert.Equal(Now.AddMilliseconds(HealthTimeoutMs), rollout.HealthDeadline);
        Assert.Equal([11L], rollout.Added.Select(a => a.Id!.Value));
    }

    [Fact]
    public void Adding_BatchWithoutNewBackends_GoesStraightToChecking()
    {
        var rollout = TwoBatches();
        rollout.Target = [Spec(9101)];
        rollout.Batch = 1;

        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(RolloutPhase.Checking, rollout.Phase);
        Assert.Equal(Now.AddMilliseconds(HealthTimeoutMs), rollout.HealthDeadline);
    }

    [Fact]
    public void Checking_EveryAddedBackendHealthy_Promotes()
    {
        var rollout = Checking();

        Assert.Equal(RolloutAction.Promote, RolloutTransitions.Next(rollout, Healthy(11), Now));

        RolloutTransitions.Promoted(rollout, [1]);
        Assert.Equal(RolloutPhase.Removing, rollout.Phase);
        Assert.Null(rollout.HealthDeadline);
        Assert.Equal([1L], rollout.RemovedIds);
    }

    [Fact]
    public void Checking_NotYetHealthyBeforeTheDeadline_Waits()
    {
        var rollout = Checking();
        _time.Advance(TimeSpan.FromMilliseconds(HealthTimeoutMs - 1));

        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, Healthy(), Now));
        Assert.Equal(RolloutState.InProgress, rollout.State);
    }

    [Fact]
    public void Checking_HealthyListChanged_RecordsItWithoutMovingOn()
    {
        var rollout = Checking(added: [11, 12]);

        Assert.Equal(RolloutAction.Record, RolloutTransitions.Next(rollout, Healthy(12), Now));
        Assert.Equal([12L], rollout.HealthyIds);
        Assert.Equal(RolloutPhase.Checking, rollout.Phase);
    }

    [Fact]
    public void Checking_HealthTimeoutPassed_RollsBackNamingTheSickBackend()
    {
        var rollout = Checking();
        _time.Advance(TimeSpan.FromMilliseconds(HealthTimeoutMs));

        var action = RolloutTransitions.Next(rollout, new RolloutSeen(HaProxyAnswered: true, Healthy: [], Sick: ["backend 11 (127.0.0.1:9101) DOWN"]), Now);

        Assert.Equal(RolloutAction.Save, action);
        Assert.Equal(RolloutState.RollingBack, rollout.State);
        Assert.Equal(RolloutPhase.Restoring, rollout.Phase);
        Assert.Null(rollout.HealthDeadline);
        Assert.Contains("did not pass its health checks within 30s", rollout.Message, StringComparison.Ordinal);
        Assert.Contains("backend 11 (127.0.0.1:9101) DOWN", rollout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checking_HaProxySilent_GivesTheBatchItsWholeTimeOnceItAnswers()
    {
        var rollout = Checking();
        _time.Advance(TimeSpan.FromMilliseconds(HealthTimeoutMs - 1_000));

        // Silent: the deadline moves with the clock instead of running out.
        Assert.Equal(RolloutAction.Record, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(Now.AddMilliseconds(HealthTimeoutMs), rollout.HealthDeadline);
        // Within a second it is not saved again.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));

        _time.Advance(TimeSpan.FromMilliseconds(HealthTimeoutMs - 600));
        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, Healthy(), Now));
        Assert.Equal(RolloutState.InProgress, rollout.State);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, Healthy(), Now));
        Assert.Equal(RolloutState.RollingBack, rollout.State);
    }

    [Fact]
    public void Removing_OldBackendsStillDraining_Waits()
    {
        var rollout = Removing(batch: 0);

        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, new RolloutSeen(StillRemoving: true), Now));
        Assert.Equal(RolloutPhase.Removing, rollout.Phase);
    }

    [Fact]
    public void Removing_DoneWithoutInterval_StartsTheNextBatch()
    {
        var rollout = Removing(batch: 0);

        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal((1, RolloutPhase.Adding), (rollout.Batch, rollout.Phase));
    }

    [Fact]
    public void Removing_DoneWithInterval_PausesUntilTheIntervalHasPassed()
    {
        var rollout = Removing(batch: 0, intervalMs: IntervalMs);

        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(RolloutPhase.Pausing, rollout.Phase);
        Assert.Equal(Now.AddMilliseconds(IntervalMs), rollout.NextStepAt);

        _time.Advance(TimeSpan.FromMilliseconds(IntervalMs - 1));
        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal((0, RolloutPhase.Pausing), (rollout.Batch, rollout.Phase));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal((1, RolloutPhase.Adding), (rollout.Batch, rollout.Phase));
        Assert.Null(rollout.NextStepAt);
    }

    [Fact]
    public void Removing_LastBatchDone_Finishes()
    {
        var rollout = Removing(batch: 1, intervalMs: IntervalMs);

        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(RolloutPhase.Finishing, rollout.Phase);
        Assert.Equal(RolloutAction.Finish, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
    }

    [Fact]
    public void Completed_EndsWithTheTimeAndNamesBackendsLeftUnnamed()
    {
        var rollout = Removing(batch: 1);
        rollout.Phase = RolloutPhase.Finishing;
        _time.Advance(TimeSpan.FromSeconds(3));

        RolloutTransitions.Completed(rollout, ["127.0.0.1:9101 ('web')"], Now);

        Assert.Equal((RolloutState.Completed, RolloutPhase.Done), (rollout.State, rollout.Phase));
        Assert.Equal(Now, rollout.FinishedAt);
        Assert.Contains("127.0.0.1:9101 ('web')", rollout.Message, StringComparison.Ordinal);
        Assert.False(rollout.IsActive);
    }

    [Fact]
    public void RollingBack_RestoresThenWaitsForTheAddedToLeaveThenEnds()
    {
        var rollout = Checking();
        RolloutTransitions.StartRollback(rollout, "asked for");

        Assert.Equal(RolloutAction.Restore, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        RolloutTransitions.Restored(rollout);
        Assert.Equal(RolloutPhase.RemovingAdded, rollout.Phase);

        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, new RolloutSeen(StillRemoving: true), Now));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal((RolloutState.RolledBack, RolloutPhase.Done), (rollout.State, rollout.Phase));
        Assert.Equal(Now, rollout.FinishedAt);
        Assert.Equal("asked for", rollout.Message);
    }

    [Fact]
    public void Abandon_InProgressRollsBack_RollingBackFails()
    {
        var inProgress = Checking();
        var rollingBack = Checking();
        RolloutTransitions.StartRollback(rollingBack, "first");

        RolloutTransitions.Abandon(inProgress, "taken", Now);
        RolloutTransitions.Abandon(rollingBack, "taken", Now);

        Assert.Equal((RolloutState.RollingBack, RolloutPhase.Restoring), (inProgress.State, inProgress.Phase));
        Assert.Equal((RolloutState.Failed, RolloutPhase.Done), (rollingBack.State, rollingBack.Phase));
        Assert.Equal("taken", rollingBack.Message);
    }

    [Fact]
    public void Next_PhaseThatDoesNotBelongToTheState_Fails()
    {
        var rollout = Checking();
        rollout.State = RolloutState.RollingBack;

        Assert.Equal(RolloutAction.Save, RolloutTransitions.Next(rollout, RolloutSeen.Nothing, Now));
        Assert.Equal(RolloutState.Failed, rollout.State);
        Assert.Contains("Checking", rollout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Promoted_OldBackendStillServing_IsCutOnceTheDrainTimeoutPassed()
    {
        var rollout = Checking();
        var old = new Backend { Id = 1, Host = "127.0.0.1", Port = 9001, State = BackendState.Enabled };
        var lb = new LoadBalancer { Id = 7, Name = "lb", BindAddress = "127.0.0.1", Backends = [old] };
        var serving = new StatRow { ProxyName = "lb_7", ServiceName = "b_1", Type = StatType.Server, Status = "DRAIN", CurrentSessions = 3, Weight = 0 };

        BackendRemoval.Start(old, Now, TimeSpan.FromMilliseconds(rollout.DrainTimeoutMs));
        RolloutTransitions.Promoted(rollout, [old.Id]);

        _time.Advance(TimeSpan.FromMilliseconds(rollout.DrainTimeoutMs - 1));
        Assert.Empty(FinishedDrains.Due([lb], [serving], Now));
        Assert.Equal(RolloutAction.Wait, RolloutTransitions.Next(rollout, new RolloutSeen(StillRemoving: true), Now));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([1L], FinishedDrains.Due([lb], [serving], Now));
    }

    private Rollout Checking(long[]? added = null)
    {
        var rollout = TwoBatches();
        RolloutTransitions.Added(rollout, (added ?? [11]).Select((id, i) => Spec(9101 + i, id)), Now);
        return rollout;
    }

    private static Rollout Removing(int batch, int intervalMs = 0)
    {
        var rollout = TwoBatches(intervalMs);
        rollout.Batch = batch;
        rollout.Phase = RolloutPhase.Removing;
        return rollout;
    }
}
