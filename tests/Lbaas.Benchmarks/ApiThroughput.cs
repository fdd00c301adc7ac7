using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lbaas.Benchmarks;

/// <summary>
/// Control-plane API speed: creates (with two backends each), single gets and list pages, from
/// several concurrent clients, and the API process's memory before and after. Everything it
/// creates carries a run label and is deleted at the end.
/// </summary>
internal sealed class ApiThroughput(HttpClient http, BenchmarkOptions options)
{
    private readonly int _loadBalancers = options.CountOr(500);

    public async Task RunAsync()
    {
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"api benchmark: {_loadBalancers} load balancers, {options.Clients} clients, {options.Url}");
        Console.WriteLine($"api rss before: {Rss()}");

        // Warm-up (not reported): JIT, connection pools and query plans, so the figures below are steady state.
        var warm = new long[Math.Min(_loadBalancers, 50)];
        await Measure("warm-up create", i => Create(run + "-warm", i, warm), warm.Length);
        await Measure("warm-up delete", i => Send(HttpMethod.Delete, $"/api/v1/loadbalancer/{warm[i]}"), warm.Length);

        var ids = new long[_loadBalancers];
        var creates = await Measure("create", i => Create(run, i, ids));
        Console.WriteLine($"create (POST with 2 backends): {creates}");
        Console.WriteLine($"get (GET one):                 {await Measure("get", i => Send(HttpMethod.Get, $"/api/v1/loadbalancer/{ids[i]}"))}");
        Console.WriteLine($"list (GET page of 100 by label): {await Measure("list", _ => Send(HttpMethod.Get, $"/api/v1/loadbalancer?label=run={run}&limit=100"), Math.Min(_loadBalancers, 200))}");
        Console.WriteLine($"backend add (POST):            {await Measure("backend", i => Send(HttpMethod.Post, $"/api/v1/loadbalancer/{ids[i]}/backends", "{\"host\": \"127.0.0.1\", \"port\": 9003}"))}");
        Console.WriteLine($"api rss after: {Rss()}");
        Console.WriteLine($"delete:                        {await Measure("delete", i => Send(HttpMethod.Delete, $"/api/v1/loadbalancer/{ids[i]}"))}");
    }

    private Task<HttpStatusCode> Create(string run, int i, long[] ids) =>
        Send(HttpMethod.Post, "/api/v1/loadbalancer", $$"""
            {"name": "{{run}}-{{i}}", "labels": {"run": "{{run}}"},
             "backends": [{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]}
            """, body => ids[i] = (long)JsonNode.Parse(body)!["id"]!);

    private async Task<string> Measure(string name, Func<int, Task<HttpStatusCode>> call, int? count = null)
    {
        var total = count ?? _loadBalancers;
        var latencies = new Latencies();
        var next = -1;
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await call(i);
                latencies.Add(Stopwatch.GetElapsedTime(started));
                if ((int)status >= 400)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        if (failures > 0)
        {
            throw new InvalidOperationException($"{name}: {failures} requests failed");
        }
        return latencies.Summary(wall.Elapsed);
    }

    private async Task<HttpStatusCode> Send(HttpMethod method, string url, string? json = null, Action<string>? onBody = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400)
        {
            Console.Error.WriteLine($"{method} {url}: {(int)response.StatusCode} {body}");
        }
        else
        {
            onBody?.Invoke(body);
        }
        return response.StatusCode;
    }

    private string Rss()
    {
        if (options.PidFile is null || !File.Exists(options.PidFile))
        {
            return "unknown (no pid file; pass --pid-file)";
        }
        var pid = File.ReadAllText(options.PidFile).Trim();
        var status = $"/proc/{pid}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
        return line is null ? "unknown" : string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024} MiB");
    }
}
