using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Lbaas.Benchmarks;

/// <summary>
/// Churn under load: a bounded load runs through one load balancer (4 backends, round robin,
/// HTTP health checks every second) while <c>--count</c> changes (default 100) are made to it one
/// after the other, each waiting until live. Run twice: keep-alive clients, then a new connection
/// per request. Reports failed requests (connection errors, timeouts, non-2xx), requests/s, and
/// the changes' API latency by path.
/// </summary>
/// <remarks>
/// The changes repeat a cycle of ten, seven on the runtime path and three on the reload path:
/// add a backend; change a weight; patch the load balancer's server timeout (reload); drain a
/// backend; enable it again; create another load balancer, or delete the one created ten changes
/// earlier (reload); remove a backend with DELETE ?drain_timeout=5s (drains first, so no request
/// may fail); disable a backend; enable it again; switch the algorithm between round_robin and
/// least_connections (reload). At least three backends can always take requests, so any failed
/// request is the data plane's or the control plane's fault, never the benchmark's. The load starts
/// one second before the first change and ends one second after the last.
/// </remarks>
internal sealed class Churn(LbaasClient api, HaProxyCounters counters, BenchmarkOptions options)
{
    private const int InitialBackends = 4;

    private enum Kind { Add, Weight, Timeouts, Drain, EnableDrained, OtherLoadBalancer, Remove, Disable, EnableDisabled, Algorithm }

    private static readonly Kind[] Cycle =
        [Kind.Add, Kind.Weight, Kind.Timeouts, Kind.Drain, Kind.EnableDrained, Kind.OtherLoadBalancer, Kind.Remove, Kind.Disable, Kind.EnableDisabled, Kind.Algorithm];

    /// <summary>How a change is reported: the runtime path, a removal (runtime path, timed until the drained backend is gone) or the reload path.</summary>
    private enum ChangePath { Runtime, Removal, Reload }

    public async Task RunAsync(CancellationToken ct)
    {
        var count = options.CountOr(100);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var adds = (count + Cycle.Length - 1) / Cycle.Length;
        Console.WriteLine($"churn benchmark: {count} changes per mode under a load of {options.Clients} clients " +
            $"(caps: {options.LoadRequests} requests, {options.LoadSeconds} s per mode), run label {LbaasClient.RunLabel}={run}, {options.Url}");
        // Fresh ports for each mode: the initial pool, the added backends and the other load balancer's backend.
        var perMode = InitialBackends + adds + 1;
        await using var servers = await TestBackend.StartManyAsync(2 * perMode);
        var results = new List<ModeResult>();
        try
        {
            foreach (var keepAlive in new[] { true, false })
            {
                var ports = servers.Ports.Skip(keepAlive ? 0 : perMode).Take(perMode).ToList();
                results.Add(await RunModeAsync(run, keepAlive, count, ports, ct));
            }
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }

        Console.WriteLine();
        Console.WriteLine($"## churn results ({count} changes per row, {options.Clients} load clients, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| Load | Changes runtime + removals / reload | Requests | Failed | Requests/s | Request p50 / p99 | Change p50 / p99, runtime | Removal p50 / p99 (drain ≤ 5 s) | Change p50 / p99, reload | HAProxy during the run |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(r.Row());
        }
    }

    private async Task<ModeResult> RunModeAsync(string run, bool keepAlive, int count, List<int> ports, CancellationToken ct)
    {
        var mode = LoadGenerator.Mode(keepAlive);
        var tag = keepAlive ? "ka" : "close";
        Console.WriteLine();
        Console.WriteLine($"# {mode}");
        var pool = string.Join(", ", ports.Take(InitialBackends).Select(p => $$"""{"host": "127.0.0.1", "port": {{p}}}"""));
        var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
            {"name": "{{run}}-churn-{{tag}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "algorithm": "round_robin",
             "health_check": {"interval": "1s"}, "backends": [{{pool}}]}
            """, ct)).Expect(HttpStatusCode.Created);
        var state = new PoolState(lb.Id, ports.Skip(InitialBackends).ToList(), run, tag);
        state.Members.AddRange(lb.Json["backends"]!.AsArray().Select(b => new Member((long)b!["id"]!, (int)b["port"]!)));
        var port = (int)lb.Json["frontend_port"]!;
        using (var probe = new FrontendProbe())
        {
            var ready = await probe.WaitForAsync(port, TestBackend.Identity(ports[0]), Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(10), ct);
            if (!ready.Answered)
            {
                throw new InvalidOperationException($"load balancer {lb.Id} (port {port}) does not answer: {ready.Last}");
            }
        }

        var result = new ModeResult($"{mode}, {options.Clients} clients");
        var load = new LoadGenerator(port, keepAlive, options.Clients, options.LoadRequests, TimeSpan.FromSeconds(options.LoadSeconds));
        var before = await counters.ReadAsync();
        load.SetPhase("warm-up");
        var loadTask = load.RunAsync(ct);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
            {
                var kind = Cycle[i % Cycle.Length];
                load.SetPhase($"change {i} ({kind})");
                var (answer, what, path) = await ChangeAsync(kind, state, ct);
                result.Record(path, answer, what);
                if (!load.Running && result.LoadEndedEarly is null)
                {
                    result.LoadEndedEarly = $"the load ended ({load.EndedBy}) at change {i}: raise --load-seconds or --load-requests";
                    Console.WriteLine("  " + result.LoadEndedEarly);
                }
                if ((i + 1) % 25 == 0 && i + 1 < count)
                {
                    Console.WriteLine($"  {i + 1}/{count} changes, {load.Requests} requests, {load.Failed} failed");
                }
            }
            load.SetPhase("tail after the last change");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        finally
        {
            load.Stop();
            await loadTask;
        }
        result.HaProxy = HaProxyCounters.Describe(before, await counters.ReadAsync());
        result.Load = load;

        if (state.OtherLoadBalancer is { } other)
        {
            await api.DeleteAsync($"/api/v1/loadbalancer/{other}", ct);
        }
        await api.DeleteAsync($"/api/v1/loadbalancer/{lb.Id}", ct);
        result.Print();
        return result;
    }

    /// <summary>Makes one change (waiting until live) and says what it was.</summary>
    private async Task<(ApiAnswer Answer, string What, ChangePath Path)> ChangeAsync(Kind kind, PoolState s, CancellationToken ct)
    {
        var lbUrl = $"/api/v1/loadbalancer/{s.LoadBalancerId}";
        switch (kind)
        {
            case Kind.Add:
                {
                    var port = s.FreePorts[0];
                    s.FreePorts.RemoveAt(0);
                    var answer = await api.PostAsync($"{lbUrl}/backends", $$"""{"host": "127.0.0.1", "port": {{port}}}""", ct);
                    if (answer.IsSuccess)
                    {
                        s.Members.Add(new Member(answer.Id, port));
                    }
                    return (answer, $"add backend :{port}", ChangePath.Runtime);
                }
            case Kind.Weight:
                {
                    var m = s.NextEnabled();
                    m.Weight = m.Weight % 5 + 2;
                    return (await api.PatchAsync($"{lbUrl}/backends/{m.Id}", $$"""{"weight": {{m.Weight}}}""", ct), $"weight of {m.Id} to {m.Weight}", ChangePath.Runtime);
                }
            case Kind.Drain or Kind.Disable:
                {
                    var m = s.NextEnabled();
                    var target = kind == Kind.Drain ? "draining" : "disabled";
                    var answer = await api.PatchAsync($"{lbUrl}/backends/{m.Id}", $$"""{"state": "{{target}}"}""", ct);
                    if (answer.IsSuccess)
                    {
                        m.State = target;
                    }
                    return (answer, $"{m.Id} {target}", ChangePath.Runtime);
                }
            case Kind.EnableDrained or Kind.EnableDisabled:
                {
                    var from = kind == Kind.EnableDrained ? "draining" : "disabled";
                    // Should the earlier change have failed, nothing is in that state: change a weight instead (still the runtime path).
                    if (s.Members.FirstOrDefault(x => x.State == from) is not { } m)
                    {
                        return await ChangeAsync(Kind.Weight, s, ct);
                    }
                    var answer = await api.PatchAsync($"{lbUrl}/backends/{m.Id}", """{"state": "enabled"}""", ct);
                    if (answer.IsSuccess)
                    {
                        m.State = "enabled";
                    }
                    return (answer, $"{m.Id} enabled (was {from})", ChangePath.Runtime);
                }
            case Kind.Remove:
                {
                    // The oldest backend that takes requests; the pool keeps at least three that do.
                    if (s.Members.Count(x => x.State == "enabled") <= 3)
                    {
                        return await ChangeAsync(Kind.Weight, s, ct);
                    }
                    var m = s.Members.First(x => x.State == "enabled");
                    var answer = await api.DeleteAsync($"{lbUrl}/backends/{m.Id}?drain_timeout=5s", ct);
                    if (answer.IsSuccess)
                    {
                        s.Members.Remove(m);
                    }
                    return (answer, $"remove {m.Id} (drain_timeout=5s)", ChangePath.Removal);
                }
            case Kind.Timeouts:
                {
                    s.ServerTimeout = s.ServerTimeout == "30s" ? "31s" : "30s";
                    return (await api.PatchAsync(lbUrl, $$"""{"timeouts": {"server": "{{s.ServerTimeout}}"} }""", ct), $"server timeout {s.ServerTimeout}", ChangePath.Reload);
                }
            case Kind.Algorithm:
                {
                    s.Algorithm = s.Algorithm == "round_robin" ? "least_connections" : "round_robin";
                    return (await api.PatchAsync(lbUrl, $$"""{"algorithm": "{{s.Algorithm}}"}""", ct), $"algorithm {s.Algorithm}", ChangePath.Reload);
                }
            case Kind.OtherLoadBalancer:
                {
                    if (s.OtherLoadBalancer is { } other)
                    {
                        var deleted = await api.DeleteAsync($"/api/v1/loadbalancer/{other}", ct);
                        if (deleted.IsSuccess)
                        {
                            s.OtherLoadBalancer = null;
                        }
                        return (deleted, $"delete load balancer {other}", ChangePath.Reload);
                    }
                    var answer = await api.PostAsync("/api/v1/loadbalancer", $$"""
                        {"name": "{{s.Run}}-churn-{{s.Tag}}-other-{{s.Others++}}", "labels": {"{{LbaasClient.RunLabel}}": "{{s.Run}}"},
                         "health_check": {"enabled": false}, "backends": [{"host": "127.0.0.1", "port": {{s.OtherPort}}}]}
                        """, ct);
                    if (answer.IsSuccess)
                    {
                        s.OtherLoadBalancer = answer.Id;
                    }
                    return (answer, "create another load balancer", ChangePath.Reload);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private sealed class Member(long id, int port)
    {
        public long Id { get; } = id;
        public int Port { get; } = port;
        public string State { get; set; } = "enabled";
        public int Weight { get; set; } = 1;
    }

    private sealed class PoolState(long loadBalancerId, List<int> spare, string run, string tag)
    {
        private int _next;

        public long LoadBalancerId { get; } = loadBalancerId;
        public string Run { get; } = run;
        public string Tag { get; } = tag;
        public List<Member> Members { get; } = [];

        /// <summary>Ports for added backends; the last spare one is the other load balancer's backend.</summary>
        public List<int> FreePorts { get; } = spare.Take(spare.Count - 1).ToList();
        public int OtherPort { get; } = spare[^1];

        public long? OtherLoadBalancer { get; set; }
        public int Others { get; set; }
        public string ServerTimeout { get; set; } = "50s";
        public string Algorithm { get; set; } = "round_robin";

        /// <summary>The enabled members in turn.</summary>
        public Member NextEnabled()
        {
            var enabled = Members.Where(m => m.State == "enabled").ToList();
            return enabled[_next++ % enabled.Count];
        }
    }

    /// <summary>The changes made on one path: all of them counted, the successful ones timed.</summary>
    private sealed class PathStats
    {
        public Latencies Latencies { get; } = new();
        public int Count { get; set; }
    }

    private sealed class ModeResult(string mode)
    {
        private readonly Dictionary<ChangePath, PathStats> _paths = Enum.GetValues<ChangePath>().ToDictionary(p => p, _ => new PathStats());
        private readonly List<string> _failures = [];
        private int _accepted;

        public string HaProxy { get; set; } = "";
        public LoadGenerator? Load { get; set; }
        public string? LoadEndedEarly { get; set; }

        private Latencies Of(ChangePath path) => _paths[path].Latencies;

        private int CountOf(ChangePath path) => _paths[path].Count;

        public void Record(ChangePath path, ApiAnswer answer, string what)
        {
            _paths[path].Count++;
            if (!answer.IsSuccess)
            {
                _failures.Add($"{what}: {answer}");
                return;
            }
            if (answer.Status == HttpStatusCode.Accepted)
            {
                _accepted++;
            }
            Of(path).Add(answer.Elapsed);
        }

        public void Print()
        {
            var load = Load!;
            Console.WriteLine($"  load: {load.Requests} requests in {load.Wall.TotalSeconds:F1} s ({load.Rate:F0}/s, ended: {load.EndedBy}), failed {load.Failed}: {load.FailureBreakdown}");
            Console.WriteLine($"  request latency: {load.Latencies.Summary(2)}");
            Console.WriteLine($"  changes until live, runtime path ({CountOf(ChangePath.Runtime)}): {Of(ChangePath.Runtime).Summary()}");
            Console.WriteLine($"  removals until gone (DELETE ?drain_timeout=5s: drain, then out) ({CountOf(ChangePath.Removal)}): {Of(ChangePath.Removal).Summary()}");
            Console.WriteLine($"  changes until live, reload path ({CountOf(ChangePath.Reload)}):  {Of(ChangePath.Reload).Summary()}");
            Console.WriteLine($"  changes failed: {_failures.Count}; answered 202 (not live within the write wait): {_accepted}");
            Console.WriteLine($"  HAProxy during the run: {HaProxy}");
            foreach (var failure in _failures.Take(5))
            {
                Console.WriteLine($"  failed change: {failure}");
            }
            foreach (var sample in load.FailureSamples.Take(10))
            {
                Console.WriteLine($"  failed request at {sample}");
            }
            if (LoadEndedEarly is not null)
            {
                Console.WriteLine($"  WARNING: {LoadEndedEarly}");
            }
        }

        public string Row()
        {
            var load = Load!;
            return string.Create(CultureInfo.InvariantCulture,
                $"| {mode}{(LoadEndedEarly is null ? "" : " (load ended early)")} | {CountOf(ChangePath.Runtime)} + {CountOf(ChangePath.Removal)} / {CountOf(ChangePath.Reload)}{(_failures.Count > 0 ? $" ({_failures.Count} failed)" : "")} | {load.Requests} | {load.Failed} | {load.Rate:F0} | {load.Latencies.Cell(0.5, 2)} / {load.Latencies.Cell(0.99, 2)} | {Of(ChangePath.Runtime).Cell(0.5)} / {Of(ChangePath.Runtime).Cell(0.99)} | {Of(ChangePath.Removal).Cell(0.5)} / {Of(ChangePath.Removal).Cell(0.99)} | {Of(ChangePath.Reload).Cell(0.5)} / {Of(ChangePath.Reload).Cell(0.99)} | {HaProxy} |");
        }
    }
}
