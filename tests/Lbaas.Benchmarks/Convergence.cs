using System.Globalization;
using System.Net;

namespace Lbaas.Benchmarks;

/// <summary>
/// Convergence: how long after the API's answer the first request through HAProxy is answered by
/// the backend the change brought in. Four series of <c>--count</c> changes each, one at a time:
/// the runtime path and the reload path, each measured from (a) the 2xx of a write that waited
/// until live, and (b) the 202 of a <c>?wait=false</c> write (the commit), which shows the whole
/// pipeline lag. HAProxy is probed every millisecond on a new connection per request.
/// </summary>
/// <remarks>
/// Runtime path: one load balancer whose only server, A, is disabled, so its frontend answers 503.
/// Each change adds a backend B_i to it (POST …/backends); B_i is the only server that can answer,
/// so the first 2xx through the frontend that carries B_i's identity is unambiguous. B_i is then
/// removed (DELETE ?drain_timeout=0s, waited for) outside the measured time, and the frontend is
/// checked to answer 503 again before the next change. The ports of B_i rotate over 16 backends,
/// so B_i's port was last used 16 changes earlier and has been out of HAProxy since.
/// Reload path: each change creates a new load balancer with one backend (a new frontend needs a
/// reload), and the first answer through its new port by that backend ends the measurement; the
/// load balancer is deleted (waited for) outside the measured time.
/// Health checks are off in both, so the figures are the control plane's and HAProxy's, not a
/// check interval's.
/// </remarks>
internal sealed class Convergence(LbaasClient api, HaProxyCounters counters, BenchmarkOptions options)
{
    private const int Ring = 16;

    public async Task RunAsync(CancellationToken ct)
    {
        var count = options.CountOr(200);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"convergence benchmark: {count} changes per series, 4 series, run label {LbaasClient.RunLabel}={run}, {options.Url}");
        Console.WriteLine($"probe: a request every {FrontendProbe.PollInterval.TotalMilliseconds:0} ms on a new connection; a change not answered within {options.ChangeTimeout.TotalSeconds:0.#} s counts as failed");
        await using var servers = await TestBackend.StartManyAsync(Ring + 1);
        var standby = servers.Ports[0];
        var ring = servers.Ports.Skip(1).ToArray();
        using var probe = new FrontendProbe();
        var series = new List<Series>();
        try
        {
            series.Add(await RuntimeSeriesAsync(run, standby, ring, count, wait: true, probe, ct));
            series.Add(await RuntimeSeriesAsync(run, standby, ring, count, wait: false, probe, ct));
            series.Add(await ReloadSeriesAsync(run, ring, count, wait: true, probe, ct));
            series.Add(await ReloadSeriesAsync(run, ring, count, wait: false, probe, ct));
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }

        Console.WriteLine();
        Console.WriteLine($"## convergence results ({count} changes per row, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| Path | Change | Measured from | p50 | p99 | max | failed | API call p50 / p99 | HAProxy during the series |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in series)
        {
            Console.WriteLine(s.Row());
        }
        Console.WriteLine();
        Console.WriteLine("failed = API error, or the new backend did not answer within the change timeout; each series also counts its cleanup writes in HAProxy's figures.");
    }

    private async Task<Series> RuntimeSeriesAsync(string run, int standby, int[] ring, int count, bool wait, FrontendProbe probe, CancellationToken ct)
    {
        var s = new Series("runtime", "backend added to a load balancer", wait);
        Console.WriteLine();
        Console.WriteLine($"# {s.Title}");
        var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
            {"name": "{{run}}-runtime-{{(wait ? "wait" : "async")}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"},
             "health_check": {"enabled": false},
             "backends": [{"host": "127.0.0.1", "port": {{standby}}, "name": "standby", "state": "disabled"}]}
            """, ct)).Expect(HttpStatusCode.Created);
        var id = lb.Id;
        var port = (int)lb.Json["frontend_port"]!;
        var before = await counters.ReadAsync();
        for (var i = 0; i < count; i++)
        {
            var backendPort = ring[i % ring.Length];
            // The precondition that makes "answered by the new backend" unambiguous: no server answers.
            var idle = await probe.WaitUntilNoBackendAsync(port, TimeSpan.FromSeconds(10), ct);
            if (!FrontendProbe.IsNoServer(idle))
            {
                throw new InvalidOperationException($"change {i}: load balancer {id} (port {port}) answered {idle} before the change instead of 503");
            }
            var answer = await api.PostAsync($"/api/v1/loadbalancer/{id}/backends{(wait ? "" : "?wait=false")}",
                $$"""{"host": "127.0.0.1", "port": {{backendPort}}}""", ct);
            var backendId = await s.MeasureAsync(answer, probe, port, TestBackend.Identity(backendPort), options.ChangeTimeout, ct);
            if (backendId is { } bid)
            {
                await RemoveBackendAsync(id, bid, ct);
            }
            Progress(i, count);
        }
        s.HaProxy = HaProxyCounters.Describe(before, await counters.ReadAsync());
        s.Writes = $"{count} adds + {count} removals";
        await api.DeleteAsync($"/api/v1/loadbalancer/{id}", ct);
        s.Print();
        return s;
    }

    private async Task<Series> ReloadSeriesAsync(string run, int[] ring, int count, bool wait, FrontendProbe probe, CancellationToken ct)
    {
        var s = new Series("reload", "new load balancer", wait);
        Console.WriteLine();
        Console.WriteLine($"# {s.Title}");
        var before = await counters.ReadAsync();
        for (var i = 0; i < count; i++)
        {
            var backendPort = ring[i % ring.Length];
            var answer = await api.PostAsync($"/api/v1/loadbalancer{(wait ? "" : "?wait=false")}", $$"""
                {"name": "{{run}}-reload-{{(wait ? "wait" : "async")}}-{{i}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"},
                 "health_check": {"enabled": false}, "backends": [{"host": "127.0.0.1", "port": {{backendPort}}}]}
                """, ct);
            var port = answer.IsSuccess ? (int)answer.Json["frontend_port"]! : 0;
            var lbId = await s.MeasureAsync(answer, probe, port, TestBackend.Identity(backendPort), options.ChangeTimeout, ct);
            if (lbId is { } id)
            {
                var deleted = await api.DeleteAsync($"/api/v1/loadbalancer/{id}", ct);
                if (deleted.Status != HttpStatusCode.NoContent)
                {
                    Console.Error.WriteLine($"cleanup of change {i}: {deleted}");
                }
            }
            Progress(i, count);
        }
        s.HaProxy = HaProxyCounters.Describe(before, await counters.ReadAsync());
        s.Writes = $"{count} creates + {count} deletes";
        s.Print();
        return s;
    }

    /// <summary>Removes a backend without draining and waits (bounded) until it is gone.</summary>
    private async Task RemoveBackendAsync(long lbId, long backendId, CancellationToken ct)
    {
        var deleted = await api.DeleteAsync($"/api/v1/loadbalancer/{lbId}/backends/{backendId}?drain_timeout=0s", ct);
        if (deleted.Status == HttpStatusCode.NoContent)
        {
            return;
        }
        Console.Error.WriteLine($"cleanup: {deleted}");
        for (var i = 0; i < 100; i++)
        {
            if ((await api.SendAsync(HttpMethod.Get, $"/api/v1/loadbalancer/{lbId}/backends/{backendId}", null, ct)).Status == HttpStatusCode.NotFound)
            {
                return;
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException($"backend {backendId} of load balancer {lbId} was not removed within 10 s");
    }

    private static void Progress(int i, int count)
    {
        if ((i + 1) % 50 == 0 && i + 1 < count)
        {
            Console.WriteLine($"  {i + 1}/{count}");
        }
    }

    private sealed class Series(string path, string change, bool wait)
    {
        private readonly Latencies _apiCalls = new();
        private readonly Latencies _convergence = new();
        private readonly List<string> _failures = [];
        private readonly Dictionary<string, int> _firstMisses = new(StringComparer.Ordinal);
        private int _accepted;
        private int _unexpected;

        public string Title => $"{path} path ({change}), measured from {From}";

        public string HaProxy { get; set; } = "";

        public string Writes { get; set; } = "";

        private string From => wait ? "the 2xx of a write that waited until live" : "the 202 of a ?wait=false write (commit)";

        /// <summary>
        /// Times the API call and the wait for the first answer by <paramref name="identity"/>,
        /// counted from the moment the API's answer was read. Returns the created resource's id
        /// (for cleanup) when the API accepted the write.
        /// </summary>
        public async Task<long?> MeasureAsync(ApiAnswer answer, FrontendProbe probe, int port, string identity, TimeSpan timeout, CancellationToken ct)
        {
            if (!answer.IsSuccess)
            {
                _failures.Add(answer.ToString());
                return null;
            }
            _apiCalls.Add(answer.Elapsed);
            var waited = await probe.WaitForAsync(port, identity, answer.ReceivedAt, timeout, ct);
            // A write that waited but answered 202 was not live within the write wait: counted apart.
            if (wait && answer.Status == HttpStatusCode.Accepted)
            {
                _accepted++;
            }
            _unexpected += waited.Unexpected;
            if (waited.First.Identity != identity)
            {
                var key = waited.First.ToString();
                _firstMisses[key] = _firstMisses.GetValueOrDefault(key) + 1;
            }
            if (waited.Answered)
            {
                _convergence.Add(waited.Elapsed);
            }
            else
            {
                _failures.Add($"{identity} did not answer on port {port} within {timeout.TotalSeconds:0.#} s ({waited.Attempts} probes, last: {waited.Last})");
            }
            return answer.Id;
        }

        private string FirstMisses => _firstMisses.Count == 0
            ? "0"
            : $"{_firstMisses.Values.Sum()} ({string.Join(", ", _firstMisses.OrderByDescending(m => m.Value).Select(m => $"{m.Key}: {m.Value}"))})";

        public void Print()
        {
            Console.WriteLine($"  API call ({(wait ? "until live" : "until commit")}):  {_apiCalls.Summary()}{(_accepted > 0 ? $", {_accepted} answered 202 (not live within the write wait)" : "")}");
            Console.WriteLine($"  convergence:           {_convergence.Summary(2)}, failed {_failures.Count}{(_unexpected > 0 ? $", {_unexpected} answers by another backend (should be 0)" : "")}");
            Console.WriteLine($"  first probe after the API's answer not yet served by the new backend: {FirstMisses}");
            Console.WriteLine($"  HAProxy over the series ({Writes}): {HaProxy}");
            foreach (var failure in _failures.Take(5))
            {
                Console.WriteLine($"  failed: {failure}");
            }
        }

        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {path} | {change} | {(wait ? "2xx (waited until live)" : "202 at commit (?wait=false)")} | {_convergence.Cell(0.5, 2)} | {_convergence.Cell(0.99, 2)} | {_convergence.Cell(1, 2)} | {_failures.Count} | {_apiCalls.Cell(0.5)} / {_apiCalls.Cell(0.99)} | {HaProxy} ({Writes}) |");
    }
}
