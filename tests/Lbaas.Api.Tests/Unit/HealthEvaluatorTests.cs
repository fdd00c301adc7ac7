using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Unit;

public sealed class HealthEvaluatorTests
{
    [Fact]
    public void Observe_RefusedConnection_IsDownWithTheCheckResult()
    {
        var row = Server(1, "DOWN", "L4CON", lastCheck: "Connection refused");

        var observed = HealthEvaluator.Observe(Backend(1), row, checksEnabled: true);

        Assert.Equal(BackendOperatingStatus.Down, observed.Status);
        Assert.Equal("L4CON connection refused", observed.Reason);
    }

    [Fact]
    public void Observe_WrongHttpStatus_NamesTheCode()
    {
        var row = Server(1, "DOWN", "L7STS", code: 503, lastCheck: "Service Unavailable");

        Assert.Equal("L7STS 503 service unavailable", HealthEvaluator.Observe(Backend(1), row, true).Reason);
    }

    [Fact]
    public void Observe_UpBeforeAnyCheck_IsUpWithTheFirstCheckPending()
    {
        var observed = HealthEvaluator.Observe(Backend(1), Server(1, "UP", "INI"), checksEnabled: true);

        Assert.Equal(BackendOperatingStatus.Up, observed.Status);
        Assert.True(observed.FirstCheckPending);
    }

    [Theory]
    [InlineData("UP", "L7OK", BackendState.Enabled, BackendOperatingStatus.Up)]
    [InlineData("UP 1/3", "L4TOUT", BackendState.Enabled, BackendOperatingStatus.Up)]
    [InlineData("DOWN 1/2", "L7OK", BackendState.Enabled, BackendOperatingStatus.Down)]
    [InlineData("DRAIN", "L7OK", BackendState.Draining, BackendOperatingStatus.Draining)]
    [InlineData("UP", "L7OK", BackendState.Draining, BackendOperatingStatus.Draining)]
    [InlineData("NOLB", "L7OK", BackendState.Enabled, BackendOperatingStatus.Draining)]
    [InlineData("MAINT", "", BackendState.Disabled, BackendOperatingStatus.Maint)]
    [InlineData("MAINT (resolution)", "", BackendState.Enabled, BackendOperatingStatus.Down)]
    [InlineData("no check", "", BackendState.Enabled, BackendOperatingStatus.NoCheck)]
    public void Observe_MapsHaProxysStatus(string status, string check, BackendState state, BackendOperatingStatus expected)
    {
        Assert.Equal(expected, HealthEvaluator.Observe(Backend(1, state), Server(1, status, check), true).Status);
    }

    [Fact]
    public void Observe_NotInHaProxy_HasNoStatusYet()
    {
        Assert.Null(HealthEvaluator.Observe(Backend(1), null, true).Status);
    }

    [Fact]
    public void Evaluate_AllUp_IsOnline()
    {
        var health = Evaluate(Lb(Backend(1), Backend(2)), Server(1, "UP", "L7OK"), Server(2, "UP", "L7OK"));

        Assert.Equal(OperatingStatus.Online, health.Status);
        Assert.True(health.IsOnline);
    }

    [Fact]
    public void Evaluate_OneDown_IsDegradedNamingIt()
    {
        var health = Evaluate(Lb(Backend(1, name: "web-1"), Backend(2, name: "web-2")),
            Server(1, "UP", "L7OK"), Server(2, "DOWN", "L4CON", lastCheck: "Connection refused"));

        Assert.Equal(OperatingStatus.Degraded, health.Status);
        Assert.Equal("1 of 2 backends down: web-2 (L4CON connection refused)", health.Reason);
    }

    [Fact]
    public void Evaluate_AllDown_IsOffline()
    {
        var health = Evaluate(Lb(Backend(1), Backend(2)), Server(1, "DOWN", "L4CON"), Server(2, "DOWN", "L4TOUT"));

        Assert.Equal(OperatingStatus.Offline, health.Status);
        Assert.StartsWith("all 2 backends down", health.Reason);
    }

    [Fact]
    public void Evaluate_DrainedAndDisabledBackends_DoNotDegrade()
    {
        var health = Evaluate(Lb(Backend(1), Backend(2, BackendState.Draining), Backend(3, BackendState.Disabled)),
            Server(1, "UP", "L7OK"), Server(2, "DOWN", "L4CON"), Server(3, "MAINT", ""));

        Assert.Equal(OperatingStatus.Online, health.Status);
    }

    [Fact]
    public void Evaluate_FirstCheckPending_IsOnlineButNotYetForWaiters()
    {
        var health = Evaluate(Lb(Backend(1)), Server(1, "UP", "INI"));

        Assert.Equal(OperatingStatus.Online, health.Status);
        Assert.False(health.IsOnline);
    }

    [Theory]
    [InlineData("UP 2/3", "L4CON")]
    [InlineData("UP", "L4TOUT")]
    [InlineData("UP", "* L7OK")]
    public void Evaluate_UpButFailingOrUnconfirmed_IsOnlineButNotYetForWaiters(string status, string check)
    {
        var health = Evaluate(Lb(Backend(1)), Server(1, status, check));

        Assert.Equal(OperatingStatus.Online, health.Status);
        Assert.Equal(check != "* L7OK", health.ChecksPending);
    }

    [Fact]
    public void Evaluate_NoChecks_IsNoMonitor()
    {
        var health = Evaluate(Lb(Backend(1)) with { ChecksEnabled = false }, Server(1, "no check", ""));

        Assert.Equal(OperatingStatus.NoMonitor, health.Status);
        Assert.True(health.IsOnline);
    }

    [Fact]
    public void Evaluate_RefusedConfiguration_IsErrorWithItsReason()
    {
        var health = Evaluate(Lb(Backend(1)) with { Provisioning = ProvisioningStatus.Error, ProvisioningReason = "port 10080 is in use" });

        Assert.Equal(OperatingStatus.Error, health.Status);
        Assert.Equal("port 10080 is in use", health.Reason);
    }

    [Fact]
    public void Evaluate_NotInHaProxyYet_IsOffline()
    {
        var lb = Lb(Backend(1)) with { Provisioning = ProvisioningStatus.PendingCreate };
        var snapshot = Snapshot(withFrontend: false);

        Assert.Equal(OperatingStatus.Offline, HealthEvaluator.Evaluate(lb, snapshot).Status);
    }

    private static LoadBalancerHealth Evaluate(MonitoredLoadBalancer lb, params StatRow[] servers) =>
        HealthEvaluator.Evaluate(lb, Snapshot(withFrontend: true, servers));

    private static HaProxySnapshot Snapshot(bool withFrontend, params StatRow[] servers)
    {
        var rows = servers.ToList();
        if (withFrontend)
        {
            rows.Add(new StatRow { ProxyName = "lb_1", ServiceName = "FRONTEND", Type = StatType.Frontend, Status = "OPEN" });
        }
        return new HaProxySnapshot(DateTimeOffset.UnixEpoch, new ProcessInfo { Pid = 1 }, rows.ToDictionary(StatKey.Of),
            new Dictionary<StatKey, CounterValues>(), new Dictionary<StatKey, CounterValues>(), TimeSpan.Zero, 1);
    }

    private static MonitoredLoadBalancer Lb(params MonitoredBackend[] backends) =>
        new(1, "web", ProvisioningStatus.Active, null, true, Algorithm.RoundRobin, backends);

    private static MonitoredBackend Backend(long id, BackendState state = BackendState.Enabled, string? name = null) =>
        new(id, name, "127.0.0.1", 9000 + (int)id, 1, false, state, false);

    private static StatRow Server(long id, string status, string check, long? code = null, string lastCheck = "") => new()
    {
        ProxyName = "lb_1",
        ServiceName = $"b_{id}",
        Type = StatType.Server,
        Status = status,
        CheckStatus = check,
        CheckCode = code,
        LastCheck = lastCheck,
    };
}
