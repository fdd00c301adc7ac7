using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Benchmarks;

/// <summary>
/// Scrape: the cost of watching HAProxy. Creates <c>--count</c> load balancers (default 100) of
/// 10 backends each (health checks every 2 s), then reads HAProxy the way the scraper does —
/// <c>show info</c>, <c>show stat</c>, <c>show info</c> on the admin socket, parse, carry the
/// counters on — 50 times, and asks the API for <c>GET /api/v1/stats</c> and one load
/// balancer's <c>…/status</c> and <c>…/stats</c>, and <c>GET /metrics</c>, 50 times each. Reports
/// the size of <c>show stat</c>, time and memory allocated per scrape, the endpoints' latencies
/// and the size of the Prometheus exposition.
/// </summary>
internal sealed class Scrape(LbaasClient api, BenchmarkOptions options)
{
    private const int BackendsPerLoadBalancer = 10;
    private const int Rounds = 50;

    public async Task RunAsync(CancellationToken ct)
    {
        var count = options.CountOr(100);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var adminSocket = Path.Combine(Path.GetDirectoryName(options.MasterSocket) ?? ".", "admin.sock");
        Console.WriteLine($"scrape benchmark: {count} load balancers x {BackendsPerLoadBalancer} backends, run label {LbaasClient.RunLabel}={run}, {options.Url}, {adminSocket}");
        await using var servers = await TestBackend.StartManyAsync(BackendsPerLoadBalancer);
        try
        {
            long firstId = 0;
            for (var i = 0; i < count; i++)
            {
                var backends = string.Join(", ", servers.Ports.Select(p => $$"""{"host": "127.0.0.1", "port": {{p}}}"""));
                var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                    {"name": "{{run}}-scrape-{{i}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "backends": [{{backends}}]}
                    """, ct)).Expect(HttpStatusCode.Created);
                firstId = firstId == 0 ? lb.Id : firstId;
            }

            var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = adminSocket });
            var counters = new CumulativeCounters();
            var read = new Latencies();
            var parse = new Latencies();
            long csvBytes = 0, rows = 0, allocated = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                var before = (await runtime.ExecuteAsync("show info", ct)).Text;
                var csv = (await runtime.ExecuteAsync("show stat", ct)).Text;
                var after = (await runtime.ExecuteAsync("show info", ct)).Text;
                read.Add(clock.Elapsed);
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
                var info = ShowInfoParser.Parse(after);
                _ = ShowInfoParser.Parse(before);
                var parsed = ShowStatParser.Parse(csv);
                counters.Update(info.Pid, parsed);
                parse.Add(clock.Elapsed);
                allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                csvBytes = csv.Length;
                rows = parsed.Count;
            }

            var global = new Latencies();
            var status = new Latencies();
            var stats = new Latencies();
            var metrics = new Latencies();
            long metricsBytes = 0, metricsSeries = 0;
            for (var round = 0; round < Rounds; round++)
            {
                global.Add((await api.SendAsync(HttpMethod.Get, "/api/v1/stats", null, ct)).Expect(HttpStatusCode.OK).Elapsed);
                status.Add((await api.SendAsync(HttpMethod.Get, $"/api/v1/loadbalancer/{firstId}/status", null, ct)).Expect(HttpStatusCode.OK).Elapsed);
                stats.Add((await api.SendAsync(HttpMethod.Get, $"/api/v1/loadbalancer/{firstId}/stats", null, ct)).Expect(HttpStatusCode.OK).Elapsed);
                var exposition = (await api.SendAsync(HttpMethod.Get, "/metrics", null, ct)).Expect(HttpStatusCode.OK);
                metrics.Add(exposition.Elapsed);
                metricsBytes = exposition.Text.Length;
                metricsSeries = exposition.Text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
            }

            Console.WriteLine($"  show stat: {rows} rows, {csvBytes / 1024.0:F0} KiB");
            Console.WriteLine($"  read (show info, show stat, show info): {read.Summary()}");
            Console.WriteLine($"  parse + cumulative counters: {parse.Summary()}, {allocated / Rounds / 1024.0 / 1024.0:F1} MiB allocated per scrape");
            Console.WriteLine($"  GET /api/v1/stats: {global.Summary()}");
            Console.WriteLine($"  GET …/status: {status.Summary()}");
            Console.WriteLine($"  GET …/stats: {stats.Summary()}");
            Console.WriteLine($"  GET /metrics: {metrics.Summary()}, {metricsSeries} series, {metricsBytes / 1024.0:F0} KiB");
            Console.WriteLine();
            Console.WriteLine($"## scrape results ({Environment.ProcessorCount} cores)");
            Console.WriteLine();
            Console.WriteLine("| Servers | show stat | Read p50 / p99 | Parse + counters p50 / p99 | Allocated per scrape | GET /api/v1/stats p50 / p99 | GET …/status p50 / p99 | GET /metrics p50 / p99 | /metrics size |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count} x {BackendsPerLoadBalancer} | {rows} rows, {csvBytes / 1024.0:F0} KiB | {read.Cell(0.5)} / {read.Cell(0.99)} | {parse.Cell(0.5)} / {parse.Cell(0.99)} | {allocated / Rounds / 1024.0 / 1024.0:F1} MiB | {global.Cell(0.5)} / {global.Cell(0.99)} | {status.Cell(0.5)} / {status.Cell(0.99)} | {metrics.Cell(0.5)} / {metrics.Cell(0.99)} | {metricsSeries} series, {metricsBytes / 1024.0:F0} KiB |"));
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }
    }
}
