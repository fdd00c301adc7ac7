using Lbaas.Api.LeastResponseTime;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Microsoft.Extensions.DependencyInjection;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// Every command that changes HAProxy goes through the reconciler's loop: a weight change from the
/// least-response-time controller is queued beside applies, never sent into a reload window,
/// where the re-executing master would lose it.
/// </summary>
public sealed class OneWriterTests
{
    [Fact]
    public async Task WeightChange_RequestedDuringReload_IsSentAfterItAndNotLost()
    {
        await using var api = await ApiFactory.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            // The controller itself stays out: the test asks for the weight.
            settings: new Dictionary<string, string?> { [$"{ResponseTimeOptions.Section}:Enabled"] = "false" });
        var client = api.CreateClient();
        var coordinator = api.Services.GetRequiredService<ApplyCoordinator>();
        var state = api.Services.GetRequiredService<ApplyState>();
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = api.HaProxy.AdminSocketPath });
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{FreePort.Next()}}, "backends": [{"host": "127.0.0.1", "port": 9001, "weight": 3}]}
            """);
        var (id, backendId) = ((long)lb["id"]!, (long)lb["backends"]![0]!["id"]!);
        Assert.Equal(3, await WeightAsync(runtime, id, backendId));
        var workerBefore = (await runtime.ShowInfoAsync()).Pid;

        // A new frontend needs a reload; the weight is asked for while it runs.
        var reloading = client.PostJsonAsync("/api/v1/loadbalancer", $$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{FreePort.Next()}}, "backends": [{"host": "127.0.0.1", "port": 9002}]}
            """);
        Task<bool> ReloadBegunAsync()
        {
            var begun = state.Reloading;
            Assert.True(begun || !reloading.IsCompleted, "the create finished before its reload was seen");
            return Task.FromResult(begun);
        }
        // Polled every millisecond: the window lasts some 100 ms here.
        await Eventually.Until(ReloadBegunAsync, begun => begun, "a reload to begin", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
        coordinator.RequestWeights([new WeightChange(id, "lb", backendId, "b", 3, 7, 3, WeightCause.ResponseTime)]);
        Assert.True(state.Reloading, "the reload ended before the weight was asked for");
        using (var created = await reloading)
        {
            Assert.True(created.IsSuccessStatusCode, $"create answered {(int)created.StatusCode}");
        }

        Assert.NotEqual(workerBefore, (await runtime.ShowInfoAsync()).Pid);
        await Eventually.Until(() => WeightAsync(runtime, id, backendId), w => w == 7, "the new worker to apply the weight asked for during the reload");
    }

    private static async Task<long> WeightAsync(RuntimeSocketClient runtime, long id, long backendId) =>
        (await runtime.ShowStatAsync()).Single(r => r.Type == StatType.Server && r.ProxyName == $"lb_{id}" && r.ServiceName == $"b_{backendId}").Weight ?? -1;
}
