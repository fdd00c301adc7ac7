using Lbaas.Api.Backends;
using Lbaas.Api.Rollouts;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Unit;

public sealed class RolloutHealthTests
{
    private static StatRow Server(string status, string check) =>
        new() { ProxyName = "lb_1", ServiceName = "b_7", Type = StatType.Server, Status = status, CheckStatus = check };

    [Theory]
    [InlineData("UP", "L7OK")]
    [InlineData("UP", "* L7OK")]
    [InlineData("UP", "L4OK")]
    [InlineData("UP", "L6OK")]
    [InlineData("UP", "L7OKC")]
    [InlineData("DRAIN", "L7OK")]
    public void IsHealthy_UpAndLastCheckPassed_True(string status, string check) =>
        Assert.True(RolloutHealth.IsHealthy(Server(status, check), checksEnabled: true, BackendState.Enabled));

    [Theory]
    [InlineData("UP", "INI")]
    [InlineData("UP", "* INI")]
    [InlineData("DOWN", "L4CON")]
    [InlineData("DOWN", "L7STS")]
    [InlineData("UP 1/2", "L4TOUT")]
    [InlineData("MAINT", "L7OK")]
    [InlineData("DOWN 1/2", "L7OK")]
    public void IsHealthy_NotCheckedYetOrFailing_False(string status, string check) =>
        Assert.False(RolloutHealth.IsHealthy(Server(status, check), checksEnabled: true, BackendState.Enabled));

    [Fact]
    public void IsHealthy_NotInHaProxy_False() =>
        Assert.False(RolloutHealth.IsHealthy(null, checksEnabled: false, BackendState.Enabled));

    [Fact]
    public void IsHealthy_ChecksDisabled_LiveIsEnough() =>
        Assert.True(RolloutHealth.IsHealthy(Server("no check", ""), checksEnabled: false, BackendState.Enabled));

    [Fact]
    public void IsHealthy_WantedDisabled_LiveIsEnough() =>
        Assert.True(RolloutHealth.IsHealthy(Server("MAINT", ""), checksEnabled: true, BackendState.Disabled));

    [Fact]
    public void Servers_OnlyThisLoadBalancersServers()
    {
        StatRow[] rows =
        [
            Server("UP", "L7OK"),
            Server("UP", "L7OK") with { ProxyName = "lb_2", ServiceName = "b_8" },
            Server("UP", "") with { ServiceName = "BACKEND", Type = StatType.Backend },
        ];

        Assert.Equal(["b_7"], RolloutHealth.Servers(rows, 1).Keys);
    }
}
