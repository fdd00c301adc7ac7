using Lbaas.Api.Backends;
using Lbaas.Api.Rollouts;

namespace Lbaas.Api.Tests.Unit;

public sealed class RolloutPlanTests
{
    private static RolloutBackend Old(long id, int port, int weight = 1) => new(id, "127.0.0.1", port, weight, null, false, BackendState.Enabled);

    private static RolloutBackend Wanted(int port, int weight = 1) => new(null, "127.0.0.1", port, weight, null, false, BackendState.Enabled);

    [Fact]
    public void Of_MatchesByHostAndPort_SplitsNewOldAndKept()
    {
        var plan = RolloutPlan.Of([Old(1, 9001), Old(2, 9002), Old(3, 9003)], [Wanted(9003, weight: 5), Wanted(9101), Wanted(9102)], 1);

        Assert.Equal([9101, 9102], plan.New.Select(b => b.Port));
        Assert.Equal([1L, 2L], plan.Old.Select(b => b.Id!.Value));
        Assert.Equal(5, Assert.Single(plan.Kept).Weight);
    }

    [Fact]
    public void Of_OtherHostSamePort_IsNew()
    {
        var plan = RolloutPlan.Of([Old(1, 9001)], [Wanted(9001) with { Host = "10.0.0.1" }], 1);

        Assert.Single(plan.New);
        Assert.Single(plan.Old);
        Assert.Empty(plan.Kept);
    }

    [Theory]
    [InlineData(2, 2, 1, 2)]
    [InlineData(2, 2, 2, 1)]
    [InlineData(4, 2, 1, 4)]
    [InlineData(2, 5, 2, 3)]
    [InlineData(3, 0, 2, 2)]
    [InlineData(0, 0, 1, 0)]
    public void Batches_IsSlicesOfTheLongerSide(int newCount, int oldCount, int batchSize, int expected)
    {
        var original = Enumerable.Range(1, oldCount).Select(i => Old(i, 9000 + i)).ToList();
        var target = Enumerable.Range(1, newCount).Select(i => Wanted(9100 + i)).ToList();

        Assert.Equal(expected, RolloutPlan.Of(original, target, batchSize).Batches);
    }

    [Fact]
    public void NewInAndOldIn_SliceInOrder_EmptyPastTheEnd()
    {
        var plan = RolloutPlan.Of([Old(2, 9002), Old(1, 9001)], [Wanted(9101), Wanted(9102), Wanted(9103)], 2);

        Assert.Equal([9101, 9102], plan.NewIn(0).Select(b => b.Port));
        Assert.Equal([9103], plan.NewIn(1).Select(b => b.Port));
        Assert.Equal([1L, 2L], plan.OldIn(0).Select(b => b.Id!.Value));
        Assert.Empty(plan.OldIn(1));
        Assert.Empty(plan.NewIn(2));
    }

    [Fact]
    public void Of_SamePool_HasNoBatches()
    {
        var plan = RolloutPlan.Of([Old(1, 9001)], [Wanted(9001, weight: 3)], 1);

        Assert.Equal(0, plan.Batches);
        Assert.Single(plan.Kept);
    }
}
