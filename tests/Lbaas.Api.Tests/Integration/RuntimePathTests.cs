using System.Net;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Backend changes go live through HAProxy's runtime API: the worker that serves is the same before and after.</summary>
public sealed class RuntimePathTests
{
    [Fact]
    public async Task BackendChanges_AddWeightDrainDisableEnableRemove_KeepTheSameWorker()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var client = api.CreateClient();
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = api.HaProxy.AdminSocketPath });
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var port = FreePort.Next();
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "health_check": {"interval": "200ms"},
             "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}]}
            """);
        var id = (long)lb["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));
        var worker = await WorkerAsync(api);
        var status = await (await client.GetAsync("/api/v1/haproxy")).ReadNodeAsync();
        var reloads = (int)status["reloads"]!;

        var added = await (await client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""{"host": "127.0.0.1", "port": {{b.Port}}}""")).ReadNodeAsync();
        var bId = (long)added["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(port, "b"));
        Assert.Equal("runtime", (string?)(await (await client.GetAsync("/api/v1/haproxy")).ReadNodeAsync())["last_apply"]!["path"]);

        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{bId}", """{"weight": 9}""");
        Assert.Equal(9, (await ServerAsync(runtime, id, bId)).Weight);

        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{bId}", """{"state": "draining"}""");
        Assert.StartsWith("DRAIN", (await ServerAsync(runtime, id, bId)).Status, StringComparison.Ordinal);
        Assert.Equal(10, (await Traffic.CountAsync(port, 10)).GetValueOrDefault("a"));

        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{bId}", """{"state": "disabled"}""");
        Assert.StartsWith("MAINT", (await ServerAsync(runtime, id, bId)).Status, StringComparison.Ordinal);

        await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{bId}", """{"state": "enabled"}""");
        var enabled = await ServerAsync(runtime, id, bId);
        Assert.False(enabled.Status.StartsWith("MAINT", StringComparison.Ordinal) || enabled.Status.StartsWith("DRAIN", StringComparison.Ordinal), enabled.Status);
        Assert.Equal(9, enabled.Weight);
        Assert.True(await Traffic.AnsweredByAsync(port, "b"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{bId}")).StatusCode);
        Assert.DoesNotContain(await runtime.ShowStatAsync(), r => r.ProxyName == $"lb_{id}" && r.ServiceName == $"b_{bId}");
        Assert.Equal(10, (await Traffic.CountAsync(port, 10)).GetValueOrDefault("a"));

        Assert.Equal(worker, await WorkerAsync(api));
        status = await (await client.GetAsync("/api/v1/haproxy")).ReadNodeAsync();
        Assert.Equal(reloads, (int)status["reloads"]!);
        // The file was rewritten to match: it holds no server for the removed backend, and a reload reproduces what runs.
        Assert.DoesNotContain($"server b_{bId} ", await File.ReadAllTextAsync(api.HaProxy.ConfigPath), StringComparison.Ordinal);
    }

    private static async Task<int> WorkerAsync(ApiFactory api) => (await api.HaProxy.Master.ShowProcAsync()).CurrentWorker!.Pid;

    private static async Task<StatRow> ServerAsync(RuntimeSocketClient runtime, long lbId, long backendId) =>
        (await runtime.ShowStatAsync()).Single(r => r.Type == StatType.Server && r.ProxyName == $"lb_{lbId}" && r.ServiceName == $"b_{backendId}");
}
