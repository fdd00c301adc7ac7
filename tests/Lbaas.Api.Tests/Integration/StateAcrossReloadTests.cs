using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Integration;

/// <summary>A reload caused by one load balancer keeps what HAProxy knows of every other one's servers.</summary>
public sealed class StateAcrossReloadTests
{
    [Fact]
    public async Task ReloadForAnotherLoadBalancer_KeepsWeightsDrainMaintenanceAndHealth()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var client = api.CreateClient();
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = api.HaProxy.AdminSocketPath });
        await using var up = await TestBackend.StartAsync("up");
        await using var drained = await TestBackend.StartAsync("drained");
        await using var weighted = await TestBackend.StartAsync("weighted");
        var deadPort = FreePort.Next();
        var offPort = FreePort.Next();
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"interval": "200ms", "rise": 1, "fall": 1},
             "backends": [{"host": "127.0.0.1", "port": {{up.Port}}, "name": "up"},
                          {"host": "127.0.0.1", "port": {{drained.Port}}, "name": "drained"},
                          {"host": "127.0.0.1", "port": {{weighted.Port}}, "name": "weighted"},
                          {"host": "127.0.0.1", "port": {{deadPort}}, "name": "dead"},
                          {"host": "127.0.0.1", "port": {{offPort}}, "name": "off", "state": "disabled", "weight": 3}]}
            """);
        var id = (long)lb["id"]!;
        long Backend(string name) => (long)lb["backends"]!.AsArray().Single(b => (string?)b!["name"] == name)!["id"]!;
        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{Backend("drained")}", """{"state": "draining"}""");
        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{Backend("weighted")}", """{"weight": 7}""");
        var proxy = $"lb_{id}";
        await Eventually.Until(async () => Row(await runtime.ShowStatAsync(), proxy, Backend("dead")).Status, s => s.StartsWith("DOWN", StringComparison.Ordinal), "the dead server to be DOWN", TimeSpan.FromSeconds(10));
        var reloadsBefore = (await api.HaProxy.Master.ShowProcAsync()).Master.Reloads;

        await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");

        Assert.True((await api.HaProxy.Master.ShowProcAsync()).Master.Reloads > reloadsBefore);
        var stats = await runtime.ShowStatAsync();
        Assert.StartsWith("UP", Row(stats, proxy, Backend("up")).Status, StringComparison.Ordinal);
        // Drained: no new traffic, whether HAProxy shows it as DRAIN (runtime) or as weight 0 (from the file).
        var drainedRow = Row(stats, proxy, Backend("drained"));
        Assert.True(drainedRow.Status.StartsWith("DRAIN", StringComparison.Ordinal) || drainedRow.Weight == 0, $"{drainedRow.Status}, weight {drainedRow.Weight}");
        Assert.Equal(7, Row(stats, proxy, Backend("weighted")).Weight);
        Assert.StartsWith("MAINT", Row(stats, proxy, Backend("off")).Status, StringComparison.Ordinal);
        // Without the saved state a fresh worker would start this server UP and send it traffic.
        Assert.StartsWith("DOWN", Row(stats, proxy, Backend("dead")).Status, StringComparison.Ordinal);
    }

    private static StatRow Row(IReadOnlyList<StatRow> stats, string proxy, long backendId) =>
        stats.Single(r => r.Type == StatType.Server && r.ProxyName == proxy && r.ServiceName == $"b_{backendId}");
}
