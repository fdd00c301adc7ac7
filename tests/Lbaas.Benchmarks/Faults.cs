using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.Benchmarks;

/// <summary>
/// Faults: what a user of a load balancer sees when HAProxy fails underneath it, and how fast
/// Lbaas brings it back without a person. Needs the up.sh stack (HAProxy under its supervisor).
/// One load balancer with one backend is probed every millisecond on new connections while,
/// <c>--count</c> times each (default 3; the supervisor allows 10 restarts a minute before it slows down):
/// <list type="bullet">
/// <item><c>worker</c>: the HAProxy worker is killed (SIGKILL);</item>
/// <item><c>master</c>: the HAProxy master is killed (SIGKILL), its workers go with it;</item>
/// <item><c>outage</c>: HAProxy is held down (supervisor stopped, master killed) for 2 s, a new
/// load balancer is created meanwhile, then HAProxy is let back: the time from its master
/// answering again to the new load balancer answering is "HAProxy back → desired state live".</item>
/// </list>
/// Reports per fault the failed probes, the span of failures (first to last failed probe) and
/// the time from the fault to the first answer after the last failure.
/// </summary>
internal sealed class Faults(LbaasClient api, BenchmarkOptions options)
{
    /// <summary>How long the probe must see only answers, after the fault, before a round ends.</summary>
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RoundCap = TimeSpan.FromSeconds(30);

    private readonly MasterSocketClient _master = new(new MasterSocketOptions { SocketPath = options.MasterSocket, CommandTimeout = TimeSpan.FromSeconds(2) });
    private readonly string _supervisorPidFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.MasterSocket))!, "supervisor.pid");

    public async Task RunAsync(CancellationToken ct)
    {
        var rounds = options.CountOr(3);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"faults benchmark: {rounds} rounds of worker, master and outage, run label {LbaasClient.RunLabel}={run}, {options.Url}");
        if (!File.Exists(_supervisorPidFile))
        {
            throw new InvalidOperationException($"No {_supervisorPidFile}: start the stack with deploy/local/up.sh (HAProxy under its supervisor).");
        }
        // The second server answers for the load balancer the outage round creates.
        await using var servers = await BackendServers.StartAsync(2);
        using var probe = new FrontendProbe();
        try
        {
            var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                {"name": "{{run}}-faults", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "health_check": {"enabled": false},
                 "backends": [{"host": "127.0.0.1", "port": {{servers.Ports[0]}}}]}
                """, ct)).Expect(HttpStatusCode.Created);
            var port = (int)lb.Json["frontend_port"]!;
            var identity = BackendServers.Identity(servers.Ports[0]);
            Require(await probe.WaitForAsync(port, identity, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(10), ct), "the load balancer answering before the faults");

            var results = new List<(string Fault, Round Round)>();
            foreach (var fault in (string[])["worker", "master", "outage"])
            {
                for (var i = 0; i < rounds; i++)
                {
                    var round = await RoundAsync(fault, port, identity, run, servers.Ports[1], probe, ct);
                    results.Add((fault, round));
                    Console.WriteLine($"  {fault} #{i + 1}: {round}");
                    await WaitForHaProxyAsync(ct);
                }
            }
            Console.WriteLine();
            Console.WriteLine("| fault | failed probes p50 / max | failures span p50 / max | back after p50 / max | HAProxy back → desired state live p50 / max |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var group in results.GroupBy(r => r.Fault))
            {
                var rows = group.Select(g => g.Round).ToList();
                var live = rows.Where(r => r.BackToLive is not null).Select(r => r.BackToLive!.Value).ToList();
                Console.WriteLine($"| {group.Key} | {Pair(rows.Select(r => (double)r.Failed), "F0", "")} | {Pair(rows.Select(r => r.FailureSpan.TotalMilliseconds), "F0", " ms")} " +
                    $"| {Pair(rows.Select(r => r.BackAfter.TotalMilliseconds), "F0", " ms")} | {(live.Count == 0 ? "—" : Pair(live.Select(t => t.TotalMilliseconds), "F0", " ms"))} |");
            }
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }
    }

    /// <summary>One fault under the probe; see the class summary.</summary>
    private async Task<Round> RoundAsync(string fault, int port, string identity, string run, int outageBackend, FrontendProbe probe, CancellationToken ct)
    {
        var before = await _master.ShowProcAsync(ct);
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failures = new List<long>();
        long lastAnswer = 0;
        long recovered = 0;
        var injected = 0L;
        var probing = Task.Run(async () =>
        {
            while (!stopProbe.IsCancellationRequested)
            {
                var answer = await probe.AskAsync(port, CancellationToken.None);
                var now = Stopwatch.GetTimestamp();
                lock (failures)
                {
                    if (answer.Identity == identity)
                    {
                        if (failures.Count > 0 && lastAnswer < failures[^1])
                        {
                            recovered = now;
                        }
                        lastAnswer = now;
                    }
                    else
                    {
                        failures.Add(now);
                    }
                }
                await Task.Delay(FrontendProbe.PollInterval, CancellationToken.None);
            }
        }, CancellationToken.None);
        await Task.Delay(200, ct);
        TimeSpan? backToLive = null;
        TimeSpan? writeWhileDown = null;
        injected = Stopwatch.GetTimestamp();
        switch (fault)
        {
            case "worker":
                Kill(before.CurrentWorker?.Pid ?? throw new InvalidOperationException("HAProxy has no worker"), "KILL");
                break;
            case "master":
                Kill(before.Master.Pid, "KILL");
                break;
            default:
                (backToLive, writeWhileDown) = await OutageAsync(before.Master.Pid, run, outageBackend, probe, ct);
                break;
        }
        // The round ends once the probe has seen only answers for a while after the fault (bounded).
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RoundCap)
        {
            await Task.Delay(50, ct);
            lock (failures)
            {
                var lastFailure = failures.Count == 0 ? injected : Math.Max(injected, failures[^1]);
                if (lastAnswer > lastFailure && Stopwatch.GetElapsedTime(lastFailure) >= Steady)
                {
                    break;
                }
            }
        }
        await stopProbe.CancelAsync();
        await probing;
        lock (failures)
        {
            var after = failures.Where(f => f >= injected).ToList();
            var span = after.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(after[0], after[^1]);
            var back = after.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(injected, recovered);
            return new Round(after.Count, span, back, backToLive, writeWhileDown, clock.Elapsed >= RoundCap);
        }
    }

    /// <summary>
    /// Holds HAProxy down (supervisor stopped, master killed), creates a load balancer meanwhile,
    /// lets HAProxy back and measures from its master answering to the new load balancer answering.
    /// Returns that time and how long the write took to answer while HAProxy was down.
    /// </summary>
    private async Task<(TimeSpan? BackToLive, TimeSpan WriteWhileDown)> OutageAsync(int masterPid, string run, int backend, FrontendProbe probe, CancellationToken ct)
    {
        var supervisor = int.Parse(File.ReadAllText(_supervisorPidFile).Trim(), CultureInfo.InvariantCulture);
        Kill(supervisor, "STOP");
        try
        {
            Kill(masterPid, "KILL");
            await Task.Delay(200, ct);
            var write = Stopwatch.StartNew();
            var created = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                {"name": "{{run}}-outage-{{Guid.NewGuid().ToString("N")[..6]}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "health_check": {"enabled": false},
                 "backends": [{"host": "127.0.0.1", "port": {{backend}}}]}
                """, ct)).Expect(HttpStatusCode.Accepted);
            var writeWhileDown = write.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Kill(supervisor, "CONT");
            var back = await WaitForHaProxyAsync(ct);
            var live = await probe.WaitForAsync((int)created.Json["frontend_port"]!, BackendServers.Identity(backend), back, TimeSpan.FromSeconds(20), ct);
            var backToLive = live.Answered ? live.Elapsed : (TimeSpan?)null;
            await api.DeleteAsync($"/api/v1/loadbalancer/{created.Id}", ct);
            return (backToLive, writeWhileDown);
        }
        finally
        {
            Kill(supervisor, "CONT");
        }
    }

    /// <summary>Polls the master socket until a worker runs; returns the timestamp it did.</summary>
    private async Task<long> WaitForHaProxyAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RoundCap)
        {
            try
            {
                if ((await _master.ShowProcAsync(ct)).CurrentWorker is not null)
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or HaProxyUnavailableException or HaProxyConnectionLostException)
            {
                // Not back yet.
            }
            await Task.Delay(5, ct);
        }
        throw new TimeoutException("HAProxy did not come back within 30 s");
    }

    private static void Kill(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
    }

    private static void Require(ProbeWait wait, string what)
    {
        if (!wait.Answered)
        {
            throw new InvalidOperationException($"Timed out waiting for {what}: last {wait.Last}");
        }
    }

    private static string Pair(IEnumerable<double> values, string format, string unit)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0
            ? "—"
            : $"{sorted[(sorted.Count - 1) / 2].ToString(format, CultureInfo.InvariantCulture)}{unit} / {sorted[^1].ToString(format, CultureInfo.InvariantCulture)}{unit}";
    }

    /// <param name="Failed">Probes that got no answer from the backend after the fault.</param>
    /// <param name="FailureSpan">First to last failed probe.</param>
    /// <param name="BackAfter">From the fault to the first answer after the last failure; zero when nothing failed.</param>
    /// <param name="BackToLive">outage: HAProxy's master answering again → the load balancer created meanwhile answering.</param>
    /// <param name="WriteWhileDown">outage: how long the create took to answer while HAProxy was down.</param>
    /// <param name="CappedOut">The round hit its time cap before the probe was steady.</param>
    private sealed record Round(int Failed, TimeSpan FailureSpan, TimeSpan BackAfter, TimeSpan? BackToLive, TimeSpan? WriteWhileDown, bool CappedOut)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Failed} failed probes over {FailureSpan.TotalMilliseconds:F0} ms, back after {BackAfter.TotalMilliseconds:F0} ms")
            + (BackToLive is { } live ? string.Create(CultureInfo.InvariantCulture, $", HAProxy back → desired state live {live.TotalMilliseconds:F0} ms") : "")
            + (WriteWhileDown is { } write ? string.Create(CultureInfo.InvariantCulture, $", write answered {write.TotalMilliseconds:F0} ms while HAProxy was down") : "")
            + (CappedOut ? " (round capped at 30 s)" : "");
    }
}
