using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Lbaas.Benchmarks;

/// <summary>
/// Burst: <c>--count</c> backend registrations (default 1,000) from <c>--clients</c> concurrent
/// clients (default 10), spread round robin over 10 load balancers created beforehand (empty
/// pools, health checks off). Each registration is a POST …/backends that waits until live.
/// Reports the total time, p50/p99 per call, and the reloads (and applies by path, when the API
/// reports them) during the burst; then checks through HAProxy that every registered backend
/// answers.
/// </summary>
internal sealed class Burst(LbaasClient api, HaProxyCounters counters, BenchmarkOptions options)
{
    private const int LoadBalancers = 10;

    public async Task RunAsync(CancellationToken ct)
    {
        var count = options.CountOr(1000);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var perLb = (count + LoadBalancers - 1) / LoadBalancers;
        Console.WriteLine($"burst benchmark: {count} backend registrations from {options.Clients} clients over {LoadBalancers} load balancers, run label {LbaasClient.RunLabel}={run}, {options.Url}");
        // Backend j goes to load balancer j % 10 on port j / 10: host:port is unique per pool.
        await using var servers = await TestBackend.StartManyAsync(perLb);
        var latencies = new Latencies();
        var failures = new List<string>();
        var accepted = 0;
        try
        {
            var lbs = new (long Id, int Port)[LoadBalancers];
            for (var i = 0; i < LoadBalancers; i++)
            {
                var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                    {"name": "{{run}}-burst-{{i}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "health_check": {"enabled": false} }
                    """, ct)).Expect(HttpStatusCode.Created);
                lbs[i] = (lb.Id, (int)lb.Json["frontend_port"]!);
            }

            var before = await counters.ReadAsync();
            var next = -1;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
            {
                int j;
                while ((j = Interlocked.Increment(ref next)) < count && !ct.IsCancellationRequested)
                {
                    var answer = await api.PostAsync($"/api/v1/loadbalancer/{lbs[j % LoadBalancers].Id}/backends",
                        $$"""{"host": "127.0.0.1", "port": {{servers.Ports[j / LoadBalancers]}}}""", ct);
                    latencies.Add(answer.Elapsed);
                    lock (failures)
                    {
                        if (!answer.IsSuccess)
                        {
                            failures.Add(answer.ToString());
                        }
                        else if (answer.Status == HttpStatusCode.Accepted)
                        {
                            accepted++;
                        }
                    }
                }
            }, ct)));
            wall.Stop();
            var after = await counters.ReadAsync();
            var haproxy = HaProxyCounters.Describe(before, after);

            Console.WriteLine($"  total: {wall.Elapsed.TotalSeconds:F2} s ({count / wall.Elapsed.TotalSeconds:F0} registrations/s)");
            Console.WriteLine($"  per call (until live): {latencies.Summary()}");
            Console.WriteLine($"  failed: {failures.Count}; answered 202 (not live within the write wait): {accepted}");
            Console.WriteLine($"  HAProxy during the burst: {haproxy}");
            foreach (var failure in failures.Take(5))
            {
                Console.WriteLine($"  failed: {failure}");
            }

            var answering = await CountAnsweringAsync(lbs, servers.Ports, count, ct);
            Console.WriteLine($"  backends answering through HAProxy afterwards: {answering}/{count}");

            Console.WriteLine();
            Console.WriteLine($"## burst results ({Environment.ProcessorCount} cores)");
            Console.WriteLine();
            Console.WriteLine("| Registrations | Clients | Total | p50 | p99 | Failed | Reloads | HAProxy during the burst |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} over {LoadBalancers} load balancers | {options.Clients} | {wall.Elapsed.TotalSeconds:F2} s | {latencies.Cell(0.5)} | {latencies.Cell(0.99)} | {failures.Count} | {HaProxyCounters.Reloads(before, after)?.ToString(CultureInfo.InvariantCulture) ?? "?"} | {haproxy} |"));
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }
    }

    /// <summary>
    /// Sends requests through each load balancer (round robin over equal weights, so one pass
    /// over the pool reaches every server) until every backend registered to it has answered,
    /// bounded to three passes; returns how many answered in all.
    /// </summary>
    private static async Task<int> CountAnsweringAsync((long Id, int Port)[] lbs, IReadOnlyList<int> ports, int count, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var total = 0;
        for (var i = 0; i < lbs.Length; i++)
        {
            var expected = Enumerable.Range(0, count).Where(j => j % lbs.Length == i).Select(j => TestBackend.Identity(ports[j / lbs.Length])).ToHashSet();
            var seen = new HashSet<string>();
            for (var k = 0; k < 3 * expected.Count && seen.Count < expected.Count; k++)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{lbs[i].Port}/"), ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    if (response.IsSuccessStatusCode && expected.Contains(body))
                    {
                        seen.Add(body);
                    }
                }
                catch (HttpRequestException)
                {
                    // Counted as not answering.
                }
            }
            total += seen.Count;
        }
        return total;
    }
}
