using System.Globalization;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// least_response_time: weights lowered from measured response times, on top of leastconn.
/// <para>
/// Why this scenario can fail: HAProxy's leastconn alone already favours a faster server once every
/// server has requests in flight (it evens out in-flight counts, and the faster one finishes more),
/// so the test measures plain leastconn first, on the same backends at the same concurrency, and
/// asks for clearly less than that. With 6 clients, 20 ms against 70 ms, leastconn keeps about 3
/// requests on each and the slow one answers about 23 % (measured on this machine). With weights
/// 16 against 5 HAProxy gives the slow one a request only when it has none (an idle server's
/// weight does not count in leastconn), so about 1 in flight and some 6 %. Without the controller
/// both figures are the same (1,000 requests at 23 % vary by about 1.3 points), and the test
/// fails. It asks for at most three quarters of the plain share, not the 6 % of a quiet machine:
/// on a loaded one (a parallel build) the two servers' times move closer, the weights settle
/// nearer (16 against 6) and the slow one got 13.6 % against 23.4 %.
/// </para>
/// </summary>
public sealed class LeastResponseTimeTests(ITestOutputHelper output)
{
    private const int Clients = 6;
    private const int Requests = 1000;

    [Fact]
    public async Task LeastResponseTime_OneBackend50MsSlower_GetsClearlyFewerRequests()
    {
        await using var api = await ApiFactory.StartAsync(
            await TestPostgres.CreateDatabaseAsync(),
            settings: new Dictionary<string, string?> { ["Monitoring:ScrapeInterval"] = "00:00:00.250" });
        var client = api.CreateClient();
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = api.HaProxy.AdminSocketPath });
        await using var fast = await TestBackend.StartAsync("fast", TimeSpan.FromMilliseconds(20));
        await using var slow = await TestBackend.StartAsync("slow", TimeSpan.FromMilliseconds(70));

        var (_, plainPort, _, _) = await CreateAsync(client, "least_connections", fast, slow);
        var plain = await MeasureAsync(plainPort);
        var (id, port, fastId, slowId) = await CreateAsync(client, "least_response_time", fast, slow);
        await using (Load.Start(port, Clients, keepAlive: true))
        {
            await Eventually.Until(
                () => WeightsAsync(runtime, id, fastId, slowId),
                w => w.Slow * 2 <= w.Fast,
                "the controller to lower the slow server's weight");
        }
        var weights = await WeightsAsync(runtime, id, fastId, slowId);
        var measured = await MeasureAsync(port);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"least_connections: slow {plain.Slow}/{plain.Total} = {plain.Share:P1}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"least_response_time (weights fast {weights.Fast}, slow {weights.Slow}): slow {measured.Slow}/{measured.Total} = {measured.Share:P1}"));
        // The scenario itself: plain leastconn must leave the slow server a real share, or the comparison says nothing.
        Assert.True(plain.Share >= 0.15, $"plain leastconn gave the slow backend only {plain.Share:P1}: the scenario does not tell the controller's effect apart");
        Assert.True(measured.Share <= plain.Share * 0.75, $"least_response_time (weights {weights}) gave the slow backend {measured.Share:P1}, plain leastconn {plain.Share:P1}");

        // A reload for another load balancer keeps the lowered weight (the server-state file carries it).
        await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var afterReload = await WeightsAsync(runtime, id, fastId, slowId);
        Assert.True(afterReload.Slow * 2 <= afterReload.Fast, $"after a reload: {afterReload}");
    }

    private static async Task<(long Id, int Port, long FastId, long SlowId)> CreateAsync(HttpClient client, string algorithm, TestBackend fast, TestBackend slow)
    {
        var port = FreePort.Next();
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "algorithm": "{{algorithm}}",
             "health_check": {"interval": "500ms"},
             "backends": [{"host": "127.0.0.1", "port": {{fast.Port}}, "name": "fast"},
                          {"host": "127.0.0.1", "port": {{slow.Port}}, "name": "slow"}]}
            """);
        Assert.True(await Traffic.AnsweredByAsync(port, "fast", "slow"));
        long Backend(string name) => (long)lb["backends"]!.AsArray().Single(b => (string?)b!["name"] == name)!["id"]!;
        return ((long)lb["id"]!, port, Backend("fast"), Backend("slow"));
    }

    /// <summary>A bounded batch of <see cref="Requests"/> from <see cref="Clients"/> keep-alive clients, counted by backend.</summary>
    private static async Task<Split> MeasureAsync(int port)
    {
        await using var load = Load.Start(port, Clients, keepAlive: true, maxRequests: Requests);
        await Eventually.Until(
            () => Task.FromResult(load.Answers.Values.Sum() + load.Failures.Count),
            done => done >= Requests,
            $"{Requests} requests through port {port}",
            TimeSpan.FromSeconds(60));
        Assert.Empty(load.Failures);
        return new Split(load.Answers.GetValueOrDefault("fast"), load.Answers.GetValueOrDefault("slow"));
    }

    private static async Task<Weights> WeightsAsync(RuntimeSocketClient runtime, long id, long fastId, long slowId)
    {
        var rows = await runtime.ShowStatAsync();
        long Weight(long backendId) =>
            rows.Single(r => r.Type == StatType.Server && r.ProxyName == $"lb_{id}" && r.ServiceName == $"b_{backendId}").Weight ?? -1;
        return new Weights(Weight(fastId), Weight(slowId));
    }

    private sealed record Weights(long Fast, long Slow);

    private sealed record Split(int Fast, int Slow)
    {
        public int Total => Fast + Slow;

        public double Share => Total == 0 ? 0 : (double)Slow / Total;
    }
}
