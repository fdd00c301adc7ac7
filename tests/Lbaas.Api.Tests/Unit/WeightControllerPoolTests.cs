using Lbaas.Api.Backends;
using Lbaas.Api.LeastResponseTime;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Unit;

/// <summary>Which servers the response-time controller may touch, read from the desired state and show stat.</summary>
public sealed class WeightControllerPoolTests
{
    private static MonitoredBackend Backend(long id, int weight = 1, BackendState state = BackendState.Enabled, bool backup = false, bool removing = false) =>
        new(id, null, "127.0.0.1", 9000 + (int)id, weight, backup, state, removing);

    private static MonitoredLoadBalancer Lb(Algorithm algorithm, params MonitoredBackend[] backends) =>
        new(7, "lb", ProvisioningStatus.Active, null, true, algorithm, backends);

    private static StatRow Row(string service, string status = "UP", long weight = 16, string mode = "http", long lastChange = 600) => new()
    {
        ProxyName = "lb_7",
        ServiceName = service,
        Type = service == "BACKEND" ? StatType.Backend : StatType.Server,
        Status = status,
        Weight = weight,
        Mode = mode,
        ResponseTimeMs = 42,
        LastChangeSeconds = lastChange,
    };

    private static HaProxySnapshot Stats(params StatRow[] rows) => new(
        DateTimeOffset.UnixEpoch,
        new ProcessInfo(),
        rows.ToDictionary(StatKey.Of),
        new Dictionary<StatKey, CounterValues>(),
        rows.ToDictionary(StatKey.Of, _ => CounterValues.Of(c => c == Counter.Requests ? 30 : 0)),
        TimeSpan.FromSeconds(2),
        1);

    [Fact]
    public void Pool_HttpLeastResponseTime_IsManagedWithRtimeAndRequests()
    {
        var pool = WeightController.Pool(Lb(Algorithm.LeastResponseTime, Backend(1)), Stats(Row("BACKEND"), Row("b_1")));

        Assert.True(pool.Managed);
        Assert.Equal(new ServerSample(1, "127.0.0.1:9001", 1, 16, true, 42, 30), Assert.Single(pool.Servers));
    }

    [Theory]
    [InlineData(Algorithm.LeastConnections, "http")]
    [InlineData(Algorithm.RoundRobin, "http")]
    [InlineData(Algorithm.LeastResponseTime, "tcp")]
    public void Pool_OtherAlgorithmOrTcp_IsNotManaged(Algorithm algorithm, string mode)
    {
        var pool = WeightController.Pool(Lb(algorithm, Backend(1)), Stats(Row("BACKEND", mode: mode), Row("b_1", mode: mode)));

        Assert.False(pool.Managed);
    }

    [Fact]
    public void Pool_BackupRemovingWeightZeroOrNotInHaProxy_AreLeftOut()
    {
        var lb = Lb(Algorithm.LeastResponseTime, Backend(1, backup: true), Backend(2, removing: true), Backend(3, weight: 0), Backend(4), Backend(5));

        var pool = WeightController.Pool(lb, Stats(Row("BACKEND"), Row("b_1"), Row("b_2"), Row("b_3"), Row("b_5")));

        Assert.Equal([5L], pool.Servers.Select(s => s.BackendId));
    }

    [Theory]
    [InlineData(BackendState.Enabled, "UP", 16, true)]
    [InlineData(BackendState.Enabled, "UP 1/3", 16, true)]
    [InlineData(BackendState.Enabled, "no check", 16, true)]
    [InlineData(BackendState.Enabled, "DOWN", 16, false)]
    [InlineData(BackendState.Enabled, "DOWN 1/2", 16, false)]
    [InlineData(BackendState.Enabled, "NOLB", 16, false)]
    [InlineData(BackendState.Enabled, "UP", 0, false)]
    [InlineData(BackendState.Draining, "DRAIN", 16, false)]
    [InlineData(BackendState.Disabled, "MAINT", 16, false)]
    public void Pool_OnlyEnabledServingServers_AreAdjustable(BackendState state, string status, long weight, bool adjustable)
    {
        var pool = WeightController.Pool(Lb(Algorithm.LeastResponseTime, Backend(1, state: state)), Stats(Row("BACKEND"), Row("b_1", status, weight)));

        Assert.Equal(adjustable, Assert.Single(pool.Servers).Adjustable);
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(31, false)]
    [InlineData(32, true)]
    public void Pool_SlowStartingServer_IsNotAdjustable(long lastChangeSeconds, bool adjustable)
    {
        var lb = Lb(Algorithm.LeastResponseTime, Backend(1)) with { SlowStartMs = 30_000 };

        var pool = WeightController.Pool(lb, Stats(Row("BACKEND"), Row("b_1", lastChange: lastChangeSeconds)));

        Assert.Equal(adjustable, Assert.Single(pool.Servers).Adjustable);
    }
}
