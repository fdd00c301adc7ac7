using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// The stage every fault test plays on: a load balancer serving bounded traffic to a loopback
/// backend, a second one taking a burst of backend writes, and the configuration file sampled
/// throughout. After the fault, what was answered is held against what was stored and served.
/// </summary>
public sealed class FaultStage : IAsyncDisposable
{
    private readonly TestHaProxy _haproxy;
    private readonly TestBackend _backend;
    private readonly CancellationTokenSource _stopBurst;

    private readonly int _servedPort;

    private FaultStage(TestHaProxy haproxy, TestBackend backend, int servedPort, long writtenId, ConfigSampler sampler, Load load, WriteBurst burst, CancellationTokenSource stopBurst)
    {
        _servedPort = servedPort;
        _stopBurst = stopBurst;
        _haproxy = haproxy;
        _backend = backend;
        WrittenId = writtenId;
        Sampler = sampler;
        Traffic = load;
        Burst = burst;
    }

    /// <summary>The load balancer the burst writes to.</summary>
    public long WrittenId { get; }

    public ConfigSampler Sampler { get; }

    public Load Traffic { get; }

    public WriteBurst Burst { get; }

    /// <summary>Sets the stage and starts traffic and the burst; returns once traffic flows.</summary>
    /// <param name="client">Makes the client each write uses (the API may be restarted under it).</param>
    /// <param name="firstPort">The first backend port the burst writes.</param>
    public static async Task<FaultStage> StartAsync(Func<HttpClient> client, TestHaProxy haproxy, int firstPort)
    {
        var backend = await TestBackend.StartAsync("a");
        var servedPort = FreePort.Next();
        await client().CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{servedPort}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        var written = await client().CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{FreePort.Next()}}}""");
        var writtenId = (long)written["id"]!;
        Assert.True(await Infrastructure.Traffic.AnsweredByAsync(servedPort, "a"));
        var sampler = ConfigSampler.Start(haproxy.ConfigPath);
        var load = Load.Start(servedPort, clients: 2, keepAlive: false, maxRequests: 20_000, pause: TimeSpan.FromMilliseconds(5));
        var stopBurst = new CancellationTokenSource();
        var burst = WriteBurst.Start(client, writtenId, firstPort, writers: 4, count: 1000, pause: TimeSpan.FromMilliseconds(20), stopBurst.Token);
        await Eventually.Until(() => Task.FromResult(load.Sent), sent => sent > 50, "traffic before the fault");
        await Eventually.Until(() => Task.FromResult(burst.Acknowledged), n => n >= 5, "writes acknowledged before the fault", TimeSpan.FromSeconds(60));
        return new FaultStage(haproxy, backend, servedPort, writtenId, sampler, load, burst, stopBurst);
    }

    /// <summary>
    /// Once the fault is over: lets the burst go on until another 10 writes were acknowledged
    /// (bounded), then waits for its last writes and stops the traffic; returns a line saying
    /// what happened.
    /// </summary>
    public async Task<(IReadOnlyCollection<WriteOutcome> Outcomes, string Summary)> FinishAsync()
    {
        var before = Burst.Acknowledged;
        await Eventually.Until(() => Task.FromResult(Burst.Completion.IsCompleted ? -1 : Burst.Acknowledged), n => n < 0 || n >= before + 10,
            "writes acknowledged again after the fault", TimeSpan.FromSeconds(60));
        Assert.True(Burst.Acknowledged >= before + 10, $"the burst ended before 10 more writes were acknowledged after the fault ({Burst.Acknowledged - before})");
        await _stopBurst.CancelAsync();
        await Burst.Completion;
        var outcomes = Burst.Outcomes;
        await Traffic.StopAsync();
        var summary = $"{outcomes.Count} writes: {string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"))}; " +
            $"{outcomes.Count(o => o.Attempts.Count > 1)} needed a retry; {Traffic.Sent} requests through HAProxy, {Traffic.Failures.Count} failed; " +
            $"{Sampler.Count} distinct configuration texts; failed answers from {Span(outcomes.Where(o => !o.Acknowledged))}, " +
            $"acknowledged ones from {Span(outcomes.Where(o => o.Acknowledged))}";
        return (outcomes, summary);
    }

    /// <summary>
    /// What holds after any fault: HAProxy served every request (or, where HAProxy itself died,
    /// serves every request again), every backend stored is live in HAProxy without a person, and
    /// no configuration text HAProxy could have read was partial.
    /// </summary>
    public async Task AssertServedAndConvergedAsync(int storedBackends, bool haproxyDied = false)
    {
        if (haproxyDied)
        {
            Assert.Equal(20, (await Infrastructure.Traffic.CountAsync(_servedPort, 20)).GetValueOrDefault("a"));
        }
        else
        {
            Assert.Empty(Traffic.Failures);
        }
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = _haproxy.AdminSocketPath });
        await Eventually.Until(async () => (await runtime.ShowStatAsync()).Count(r => r.ProxyName == Naming.Proxy(WrittenId) && r.Type == StatType.Server),
            servers => servers == storedBackends, $"{storedBackends} servers live in HAProxy");
        Assert.Empty(await Sampler.RefusedAsync(HaProxyBinary.Path));
    }

    private static string Span(IEnumerable<WriteOutcome> outcomes)
    {
        var times = outcomes.Select(o => o.At.TotalSeconds).ToList();
        return times.Count == 0 ? "none" : $"{times.Min():0.00} s to {times.Max():0.00} s";
    }

    /// <summary>The backend ports stored for the written load balancer, or null while the API cannot read the database.</summary>
    public async Task<List<int>?> StoredPortsAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/v1/loadbalancer/{WrittenId}/backends");
        return response.IsSuccessStatusCode ? (await response.ReadNodeAsync()).AsArray().Select(b => (int)b!["port"]!).ToList() : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Traffic.DisposeAsync();
        await Sampler.DisposeAsync();
        await _backend.DisposeAsync();
        _stopBurst.Dispose();
    }
}
