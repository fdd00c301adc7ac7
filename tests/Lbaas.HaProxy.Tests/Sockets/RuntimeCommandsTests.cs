using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.HaProxy.Tests.Sockets;

public sealed class RuntimeCommandsTests
{
    private static readonly LoadBalancerModel Lb = Models.Lb(42, 10080) with
    {
        HealthCheck = new HealthCheckModel { IntervalMs = 5_000, Rise = 3, Fall = 2 },
        SlowStartMs = 10_000,
    };

    [Fact]
    public void AddServer_MatchesTheFileLineAndLeavesMaintenance()
    {
        var commands = RuntimeCommands.AddServer(Lb, Models.Server(7, 9001, weight: 4, host: "::1") with { Backup = true });

        Assert.Equal(
            [
                "add server lb_42/b_7 [::1]:9001 weight 4 backup check inter 5s fall 2 rise 3 slowstart 10s",
                "enable health lb_42/b_7",
                "enable server lb_42/b_7",
            ],
            commands);
    }

    [Fact]
    public void AddServer_DrainingStartsAtWeightZero_DisabledStaysInMaintenance()
    {
        var draining = RuntimeCommands.AddServer(Lb with { HealthCheck = new HealthCheckModel { Enabled = false } }, Models.Server(1, 80, state: ServerAdminState.Draining, host: "10.0.0.1"));
        var disabled = RuntimeCommands.AddServer(Lb, Models.Server(2, 80, state: ServerAdminState.Disabled, host: "10.0.0.2"));

        Assert.Equal(["add server lb_42/b_1 10.0.0.1:80 weight 0 slowstart 10s", "enable server lb_42/b_1"], draining);
        Assert.Equal(2, disabled.Count);
        Assert.DoesNotContain("enable server lb_42/b_2", disabled);
    }

    [Fact]
    public void SetAndDelete_UseIdNames()
    {
        Assert.Equal("set weight lb_42/b_7 0", RuntimeCommands.SetWeight(42, 7, 0));
        Assert.Equal("set server lb_42/b_7 state drain", RuntimeCommands.SetState(42, 7, ServerAdminState.Draining));
        Assert.Equal("set server lb_42/b_7 state ready", RuntimeCommands.SetState(42, 7, ServerAdminState.Enabled));
        Assert.Equal("set server lb_42/b_7 state maint", RuntimeCommands.SetState(42, 7, ServerAdminState.Disabled));
        Assert.Equal("set server lb_42/b_7 addr 10.0.0.8 port 8080", RuntimeCommands.SetAddress(42, 7, "10.0.0.8", 8080));
        Assert.Equal(["set server lb_42/b_7 state maint", "shutdown sessions server lb_42/b_7", "del server lb_42/b_7"], RuntimeCommands.DeleteServer(42, 7));
    }

    [Fact]
    public void Commands_RefuseUnsafeValues()
    {
        Assert.Throws<ConfigValueException>(() => RuntimeCommands.SetWeight(1, 1, 257));
        Assert.Throws<ConfigValueException>(() => RuntimeCommands.SetAddress(1, 1, "example.com", 80));
        Assert.Throws<ConfigValueException>(() => RuntimeCommands.AddServer(Lb, Models.Server(1, 80, host: "a;b")));
    }
}
