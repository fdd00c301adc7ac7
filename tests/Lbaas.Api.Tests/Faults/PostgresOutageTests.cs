using System.Net;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// PostgreSQL crashes (<c>pg_ctl -m immediate</c>) and comes back in the middle of a write burst,
/// while traffic flows through a load balancer: the data plane does not notice, no acknowledged
/// write is lost, no answer claims less than what was stored, and the desired state goes live
/// without a person.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresCrashMidBurst_NoAcknowledgedWriteLost_EverythingLiveAfter()
    {
        var cluster = await LocalPostgresCluster.StartAsync(durable: true);
        var database = await TestPostgres.CreateDatabaseAsync(cluster.ConnectionString, migrate: true);
        await using var backend = await TestBackend.StartAsync("a");
        await using var api = await ApiFactory.StartAsync(database);
        var client = api.CreateClient();
        var servedPort = TestData.Port();
        await client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{servedPort}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        var written = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{TestData.Port()}}}""");
        var writtenId = (long)written["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(servedPort, "a"));

        await using var sampler = ConfigSampler.Start(api.HaProxy.ConfigPath);
        await using var load = Load.Start(servedPort, clients: 2, keepAlive: false, maxRequests: 20_000, pause: TimeSpan.FromMilliseconds(5));
        var burst = WriteBurst.RunAsync(() => client, writtenId, firstPort: 40_000, writers: 4, count: 120, pause: TimeSpan.FromMilliseconds(25));
        await Eventually.Until(() => Task.FromResult(load.Sent), sent => sent > 50, "traffic before the crash");
        await Task.Delay(500);
        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StartServerAsync();
        var outcomes = (await burst).Outcomes;
        await load.StopAsync();

        output.WriteLine($"{outcomes.Count} writes: {string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"))}; " +
            $"{load.Sent} requests through HAProxy, {load.Failures.Count} failed; {sampler.Count} distinct configuration texts");
        Assert.Empty(load.Failures);
        Assert.DoesNotContain(outcomes, o => o.Status is >= 500 and not 503 or 0);

        var stored = await Eventually.Until(() => StoredPortsAsync(client, writtenId), ports => ports is not null, "the API reading the database again");
        Assert.All(outcomes.Where(o => o.Acknowledged), o => Assert.True(stored!.Contains(o.Port), $"acknowledged but not stored: {o}"));
        Assert.All(outcomes.Where(o => o.SaidNothingChanged), o => Assert.False(stored!.Contains(o.Port), $"said nothing was changed but stored: {o}"));
        Assert.Contains(outcomes, o => o.Acknowledged);

        // Everything stored goes live without a person: one server per stored backend in HAProxy.
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = api.HaProxy.AdminSocketPath });
        await Eventually.Until(async () => (await runtime.ShowStatAsync()).Count(r => r.ProxyName == Naming.Proxy(writtenId) && r.Type == StatType.Server),
            servers => servers == stored!.Count, $"{stored!.Count} servers live in HAProxy");
        Assert.Empty(await sampler.RefusedAsync(api.HaProxy.Settings["HaProxy:BinaryPath"]!));
    }

    /// <summary>The backend ports stored for the load balancer, or null while the API cannot read the database.</summary>
    internal static async Task<HashSet<int>?> StoredPortsAsync(HttpClient client, long loadBalancerId)
    {
        var response = await client.GetAsync($"/api/v1/loadbalancer/{loadBalancerId}/backends");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }
        return (await response.ReadNodeAsync()).AsArray().Select(b => (int)b!["port"]!).ToHashSet();
    }
}
