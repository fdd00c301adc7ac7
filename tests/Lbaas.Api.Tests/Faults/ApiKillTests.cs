using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// The API is killed (SIGKILL) in the middle of a write burst while traffic flows through a
/// load balancer, and started again: HAProxy serves on without it, every acknowledged write is
/// stored once, retries of unanswered writes with their Idempotency-Key never store one twice,
/// and everything stored goes live once the API is back.
/// </summary>
public sealed class ApiKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApiKilledMidBurst_NoAcknowledgedWriteLost_RetriesStoreOnce_EverythingLiveAfter()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var haproxy = await TestHaProxy.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await using var api = await ApiServer.StartAsync(database, haproxy);
        using var client = api.CreateClient();
        var servedPort = TestData.Port();
        await client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{servedPort}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        var written = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{TestData.Port()}}}""");
        var writtenId = (long)written["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(servedPort, "a"));

        await using var sampler = ConfigSampler.Start(haproxy.ConfigPath);
        await using var load = Load.Start(servedPort, clients: 2, keepAlive: false, maxRequests: 20_000, pause: TimeSpan.FromMilliseconds(5));
        var burst = WriteBurst.RunAsync(() => client, writtenId, firstPort: 41_000, writers: 4, count: 120, pause: TimeSpan.FromMilliseconds(20));
        await Eventually.Until(() => Task.FromResult(load.Sent), sent => sent > 50, "traffic before the kill");
        await Task.Delay(700);
        await api.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await api.StartProcessAsync();
        var outcomes = (await burst).Outcomes;
        await load.StopAsync();

        output.WriteLine($"{outcomes.Count} writes: {string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"))}; " +
            $"{outcomes.Count(o => o.Attempts.Count > 1)} needed a retry; {load.Sent} requests through HAProxy, {load.Failures.Count} failed; " +
            $"{sampler.Count} distinct configuration texts");
        Assert.Empty(load.Failures);
        Assert.Contains(outcomes, o => o.Attempts.Count > 1);
        // Every write was answered in the end, and none by a server error.
        Assert.All(outcomes, o => Assert.True(o.Acknowledged, $"not acknowledged: {o}"));

        var backends = (await (await client.GetAsync($"/api/v1/loadbalancer/{writtenId}/backends")).ReadNodeAsync()).AsArray();
        var ports = backends.Select(b => (int)b!["port"]!).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.Equal(outcomes.Select(o => o.Port).Order(), ports.Order());

        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = haproxy.AdminSocketPath });
        await Eventually.Until(async () => (await runtime.ShowStatAsync()).Count(r => r.ProxyName == Naming.Proxy(writtenId) && r.Type == StatType.Server),
            servers => servers == ports.Count, $"{ports.Count} servers live in HAProxy");
        Assert.Empty(await sampler.RefusedAsync(haproxy.Settings["HaProxy:BinaryPath"]!));
    }
}
