using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>GET /api/v1/haproxy: what runs, what reloaded, and what the last apply did.</summary>
public sealed class HaProxyStatusTests
{
    [Fact]
    public async Task GetHaProxy_AfterACreate_ReportsProcessesReloadAndLastApply()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var client = api.CreateClient();
        // The first apply reloads HAProxy, and its master answers nothing while it re-executes: count from after it.
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        var before = await Eventually.Until(async () => await (await client.GetAsync("/api/v1/haproxy")).ReadNodeAsync(),
            s => s["reloads"] is not null, "the master's reload count");

        var lb = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var response = await client.GetAsync("/api/v1/haproxy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.ReadNodeAsync();
        Assert.True((bool)status["running"]!);
        Assert.StartsWith("2.", (string?)status["version"], StringComparison.Ordinal);
        var processes = await api.HaProxy.Master.ShowProcAsync();
        Assert.Equal(processes.Master.Pid, (int)status["master_pid"]!);
        Assert.Equal(processes.CurrentWorker!.Pid, (int)status["worker_pids"]![0]!);
        Assert.True((int)status["reloads"]! > (int)before["reloads"]!);
        // 2.6 prints "[failed: N]" only once the master has reloaded; before that the field is null.
        Assert.Equal(0, (int?)status["failed_reloads"] ?? 0);
        var last = status["last_apply"]!;
        Assert.True((long)last["revision"]! >= (long)lb["id"]!);
        Assert.True((bool)last["live"]!);
        Assert.Contains((string?)last["path"], new[] { "reload", "none" });
        Assert.True((long)status["apply_counts"]!["reload"]! >= 1);
    }

    [Fact]
    public async Task GetHaProxy_MasterDown_Returns200NotRunningWithTheError()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var client = api.CreateClient();
        await api.HaProxy.KillAsync();

        var response = await client.GetAsync("/api/v1/haproxy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.ReadNodeAsync();
        Assert.False((bool)status["running"]!);
        Assert.False(string.IsNullOrEmpty((string?)status["error"]));
        Assert.Empty(status["worker_pids"]!.AsArray());
    }
}
