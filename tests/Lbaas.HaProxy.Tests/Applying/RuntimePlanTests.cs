using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Tests.Applying;

public sealed class RuntimePlanTests
{
    private static ConfigModel Model(params LoadBalancerModel[] lbs) => Models.Model(lbs);

    private static LoadBalancerModel Lb(params ServerModel[] servers) => Models.Lb(1, 10080, servers);

    /// <summary>Servers of these tests sit at 10.0.0.1:80 unless a test says otherwise.</summary>
    private static ServerModel Server(long id, int weight = 1, ServerAdminState state = ServerAdminState.Enabled, string host = "10.0.0.1", int port = 80) =>
        Models.Server(id, port, weight, state, host);

    [Fact]
    public void For_SameModel_NoCommands() =>
        Assert.Empty(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1))))!);

    [Fact]
    public void For_ServerAdded_AddsEnablesHealthAndServer()
    {
        var commands = RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1), Server(2, port: 81))));
        Assert.NotNull(commands);
        Assert.StartsWith("add server lb_1/b_2 10.0.0.1:81 weight 1", commands[0], StringComparison.Ordinal);
        Assert.Contains("enable health lb_1/b_2", commands);
        Assert.Contains("enable server lb_1/b_2", commands);
    }

    [Fact]
    public void For_ServerRemoved_MaintShutdownThenDelete() =>
        Assert.Equal(
            ["set server lb_1/b_2 state maint", "shutdown sessions server lb_1/b_2", "del server lb_1/b_2"],
            RuntimePlan.For(Model(Lb(Server(1), Server(2))), Model(Lb(Server(1)))));

    [Fact]
    public void For_WeightChanged_SetsWeight() =>
        Assert.Equal(["set weight lb_1/b_1 5"], RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1, weight: 5)))));

    [Fact]
    public void For_Drained_SetsDrainWithoutTouchingWeight() =>
        Assert.Equal(["set server lb_1/b_1 state drain"], RuntimePlan.For(Model(Lb(Server(1, weight: 3))), Model(Lb(Server(1, weight: 3, ServerAdminState.Draining)))));

    [Fact]
    public void For_BackFromDrain_SetsTheWeightAgainThenReady() =>
        // The file renders a draining server as weight 0: after a reload HAProxy may hold 0.
        Assert.Equal(
            ["set weight lb_1/b_1 3", "set server lb_1/b_1 state ready"],
            RuntimePlan.For(Model(Lb(Server(1, weight: 3, ServerAdminState.Draining))), Model(Lb(Server(1, weight: 3)))));

    [Fact]
    public void For_Disabled_SetsMaint() =>
        Assert.Contains("set server lb_1/b_1 state maint", RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1, state: ServerAdminState.Disabled))))!);

    [Fact]
    public void For_MovedToAnotherIp_SetsAddress() =>
        Assert.Equal(["set server lb_1/b_1 addr 10.0.0.9 port 8080"], RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1, host: "10.0.0.9", port: 8080)))));

    [Fact]
    public void For_DnsNameAddedOrMovedTo_NeedsAReload()
    {
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1), Server(2, host: "backend.internal")))));
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1, host: "backend.internal")))));
    }

    [Fact]
    public void For_BackupFlagChanged_NeedsAReload() =>
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1) with { Backup = true }))));

    [Fact]
    public void For_LoadBalancerSettingChanged_NeedsAReload() =>
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1)) with { Algorithm = BalanceAlgorithm.LeastConnections })));

    [Fact]
    public void For_LoadBalancerAddedOrRemoved_NeedsAReload()
    {
        var second = Lb(Server(7)) with { Id = 2, Port = 10081 };
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1)), second)));
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1)), second), Model(Lb(Server(1)))));
    }

    [Fact]
    public void For_GlobalSettingChanged_NeedsAReload() =>
        Assert.Null(RuntimePlan.For(Model(Lb(Server(1))), Model(Lb(Server(1))) with { Global = Models.Global with { MaxConnections = 1000 } }));
}
