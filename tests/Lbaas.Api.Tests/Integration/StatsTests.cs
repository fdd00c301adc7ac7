using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Traffic statistics from real requests through the real HAProxy, and their totals across reloads.</summary>
public sealed class StatsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Stats_CountEveryRequestOncePerLoadBalancerAndBackend()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}, {"host": "127.0.0.1", "port": {{b.Port}}}]}
            """);
        var id = (long)lb["id"]!;

        await Traffic.CountAsync((int)lb["frontend_port"]!, 40);

        var stats = await StatsUntil(id, s => (long)s["traffic"]!["requests_total"]! >= 40, "40 requests counted");
        var traffic = stats["traffic"]!;
        Assert.Equal(40, (long)traffic["requests_total"]!);
        Assert.Equal(40, (long)traffic["responses"]!["2xx"]!);
        Assert.Equal(0, (long)traffic["responses"]!["5xx"]!);
        Assert.Equal(40, (long)traffic["sessions_total"]!);
        Assert.True((long)traffic["bytes_in"]! > 40 * 16, $"bytes_in {traffic["bytes_in"]}");
        Assert.True((long)traffic["bytes_out"]! > 40 * 16, $"bytes_out {traffic["bytes_out"]}");
        Assert.NotNull(traffic["average_response_time_ms"]);
        var perBackend = stats["backends"]!.AsArray().Select(x => (long)x!["traffic"]!["requests_total"]!).ToList();
        Assert.Equal([20L, 20L], perBackend);
        Assert.False((bool)stats["scrape"]!["stale"]!);
    }

    [Fact]
    public async Task Stats_ServerErrors_CountAs5xxAndMakeTheErrorRate()
    {
        // No server listens and nothing checks it: HAProxy answers every request 503 itself.
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"enabled": false}, "timeouts": {"connect": "200ms"},
             "backends": [{"host": "127.0.0.1", "port": {{FreePort.Next()}}}]}
            """);
        var id = (long)lb["id"]!;
        var port = (int)lb["frontend_port"]!;

        // Requests keep coming while the window is sampled, so some scrape window holds only failures.
        JsonNode? seen = null;
        var sent = 0;
        for (var round = 0; round < 40 && seen is null; round++)
        {
            var answers = await Traffic.CountAsync(port, 5);
            sent += 5;
            Assert.Equal(5, answers.GetValueOrDefault("HTTP 503"));
            var stats = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/stats")).ReadNodeAsync();
            if ((double?)stats["traffic"]!["error_rate"] == 1.0)
            {
                seen = stats;
            }
        }
        Assert.NotNull(seen);
        var final = await StatsUntil(id, s => (long)s["traffic"]!["responses"]!["5xx"]! == sent, $"{sent} 503s counted");
        Assert.Equal(0, (long)final["traffic"]!["responses"]!["2xx"]!);
        Assert.Equal(sent, (long)final["traffic"]!["requests_total"]!);
        Assert.True((long)final["backends"]![0]!["traffic"]!["connection_errors"]! >= 1, final.ToJsonString());
    }

    [Fact]
    public async Task Counters_NeverGoDownAcrossReloads_AndCountEachRequestOnce()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        var id = (long)lb["id"]!;
        var port = (int)lb["frontend_port"]!;
        await Traffic.CountAsync(port, 30);
        await StatsUntil(id, s => (long)s["traffic"]!["requests_total"]! == 30, "30 requests counted");

        var seen = new List<long>();
        for (var reload = 1; reload <= 2; reload++)
        {
            var before = await GlobalAsync();
            // A new load balancer is a new frontend: HAProxy reloads and its counters start again at zero.
            await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
            await Eventually.Until(async () =>
            {
                seen.Add(await RequestsAsync(id));
                return await GlobalAsync();
            }, g => (int)g["haproxy"]!["pid"]! != (int)before["haproxy"]!["pid"]!, $"a new worker after reload {reload}");
            Assert.True((int)(await GlobalAsync())["haproxy"]!["workers_seen"]! > (int)before["haproxy"]!["workers_seen"]!);
            await Traffic.CountAsync(port, 10);
            var expected = 30 + reload * 10;
            await Eventually.Until(async () =>
            {
                var requests = await RequestsAsync(id);
                seen.Add(requests);
                return requests;
            }, r => r >= expected, $"{expected} requests counted after reload {reload}");
            Assert.Equal(expected, seen[^1]);
        }
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] >= seen[i - 1], $"requests_total went down: {string.Join(", ", seen)}");
        }
    }

    [Fact]
    public async Task GlobalStats_ListEveryLoadBalancerWithTheHaProxyWorker()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        await Traffic.CountAsync((int)lb["frontend_port"]!, 5);

        var global = await Eventually.Until(GlobalAsync,
            g => g["items"]!.AsArray().Any(i => (long)i!["id"]! == (long)lb["id"]! && (long)i["requests_total"]! == 5), "the load balancer in the summary");

        Assert.StartsWith("2.", (string?)global["haproxy"]!["version"], StringComparison.Ordinal);
        Assert.True((int)global["haproxy"]!["pid"]! > 0);
        Assert.True((int)global["load_balancers"]! >= 1);
        Assert.True((long)global["traffic"]!["requests_total"]! >= 5);
        var byStatus = global["operating_statuses"]!.AsObject().Sum(p => (int)p.Value!);
        Assert.Equal((int)global["load_balancers"]!, byStatus);
    }

    [Fact]
    public async Task Stats_UnknownLoadBalancer_Returns404()
    {
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321/stats")).AssertProblemAsync(404);
    }

    /// <summary>GET /api/v1/stats once HAProxy has been read (503 before the first scrape).</summary>
    private async Task<JsonNode> GlobalAsync() =>
        await Eventually.Until(async () => await (await _client.GetAsync("/api/v1/stats")).ReadNodeAsync(), g => g["haproxy"] is not null, "a first scrape");

    private async Task<long> RequestsAsync(long id) =>
        (long)(await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/stats")).ReadNodeAsync())["traffic"]!["requests_total"]!;

    private async Task<JsonNode> StatsUntil(long id, Func<JsonNode, bool> condition, string what) =>
        await Eventually.Until(async () => await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/stats")).ReadNodeAsync(), condition, what, TimeSpan.FromSeconds(15));
}
