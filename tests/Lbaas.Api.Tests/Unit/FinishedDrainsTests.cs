using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Unit;

public sealed class FinishedDrainsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static LoadBalancer Lb(params Backend[] backends) => new() { Id = 7, Name = "lb", BindAddress = "127.0.0.1", Backends = [.. backends] };

    private static Backend Removing(long id, TimeSpan left) => new() { Id = id, Host = "127.0.0.1", Port = 9000 + (int)id, State = BackendState.Draining, RemoveBy = Now + left };

    private static StatRow Server(long id, string status, long sessions, long weight = 0, long queue = 0) => new()
    {
        ProxyName = "lb_7",
        ServiceName = $"b_{id}",
        Type = StatType.Server,
        Status = status,
        CurrentSessions = sessions,
        Weight = weight,
        CurrentQueue = queue,
    };

    [Fact]
    public void Due_DrainedWithNoSession_IsRemoved()
    {
        var due = FinishedDrains.Due([Lb(Removing(1, TimeSpan.FromMinutes(1)))], [Server(1, "DRAIN", 0)], Now);
        Assert.Equal([1L], due);
    }

    [Fact]
    public void Due_DrainedWithASession_WaitsUntilItsDeadline()
    {
        var lb = Lb(Removing(1, TimeSpan.FromSeconds(5)));
        Assert.Empty(FinishedDrains.Due([lb], [Server(1, "DRAIN", 1)], Now));
        Assert.Equal([1L], FinishedDrains.Due([lb], [Server(1, "DRAIN", 1)], Now.AddSeconds(5)));
    }

    [Fact]
    public void Due_NotYetDrained_IsKeptEvenWithoutSessions()
    {
        // The drain has not been applied yet: a request may be on its way to it.
        var due = FinishedDrains.Due([Lb(Removing(1, TimeSpan.FromMinutes(1)))], [Server(1, "UP", 0, weight: 1)], Now);
        Assert.Empty(due);
    }

    [Fact]
    public void Due_WeightZeroOrMaintenance_CountsAsDrained()
    {
        var lb = Lb(Removing(1, TimeSpan.FromMinutes(1)), Removing(2, TimeSpan.FromMinutes(1)));
        var due = FinishedDrains.Due([lb], [Server(1, "UP", 0, weight: 0), Server(2, "MAINT", 0, weight: 1)], Now);
        Assert.Equal([1L, 2L], due.Order());
    }

    [Fact]
    public void Due_DownWithNoSession_IsRemoved() =>
        Assert.Equal([1L], FinishedDrains.Due([Lb(Removing(1, TimeSpan.FromMinutes(1)))], [Server(1, "DOWN", 0, weight: 1)], Now));

    [Fact]
    public void Due_QueuedRequests_KeepIt()
    {
        Assert.Empty(FinishedDrains.Due([Lb(Removing(1, TimeSpan.FromMinutes(1)))], [Server(1, "DRAIN", 0, queue: 2)], Now));
    }

    [Fact]
    public void Due_NotInHaProxy_IsRemoved()
    {
        Assert.Equal([1L], FinishedDrains.Due([Lb(Removing(1, TimeSpan.FromMinutes(1)))], [], Now));
    }

    [Fact]
    public void Due_StatsUnknown_OnlyDeadlinesCount()
    {
        var lb = Lb(Removing(1, TimeSpan.FromMinutes(1)), Removing(2, -TimeSpan.FromSeconds(1)));
        Assert.Equal([2L], FinishedDrains.Due([lb], null, Now));
    }

    [Fact]
    public void Pending_TrueWhileSomeBackendStillDrains()
    {
        var lb = Lb(Removing(1, TimeSpan.FromMinutes(1)), new Backend { Id = 2, Host = "127.0.0.1", Port = 9002 });
        Assert.True(FinishedDrains.Pending([lb], new HashSet<long>()));
        Assert.False(FinishedDrains.Pending([lb], new HashSet<long> { 1 }));
    }
}
