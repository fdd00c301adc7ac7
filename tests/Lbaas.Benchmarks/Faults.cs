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
/// answering again to the new load balancer answering is "back → new load balancer live".</item>
/// <item><c>database</c>: PostgreSQL is stopped (<c>pg_ctl stop -m immediate</c>, a crash) for 2 s;
/// a create meanwhile must be 503; then it is started again, and "back" is from it accepting
/// connections to a load balancer created after it answering traffic.</item>
/// <item><c>api</c>: the API is killed (SIGKILL) for 2 s and started again the way up.sh started it
/// (same command, environment, log and pid file); "back" is from its start to a load balancer
/// created through it answering traffic.</item>
/// </list>
/// HAProxy serves on through the database and API rounds: their failed probes should be none.
/// Reports per fault the failed probes, the span of failures (first to last failed probe) and
/// the time from the fault to the first answer after the last failure.
/// </summary>
internal sealed class Faults(LbaasClient api, BenchmarkOptions options)
{
    /// <summary>How long the probe must see only answers, after the fault, before a round ends.</summary>
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RoundCap = TimeSpan.FromSeconds(30);

    private readonly MasterSocketClient _master = new(new MasterSocketOptions { SocketPath = options.MasterSocket, CommandTimeout = TimeSpan.FromSeconds(2) });
    private static readonly string[] FaultNames = ["worker", "master", "outage", "database", "api"];

    private readonly string _supervisorPidFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.MasterSocket))!, "supervisor.pid");

    public async Task RunAsync(CancellationToken ct)
    {
        var rounds = options.CountOr(3);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"faults benchmark: {rounds} rounds of {string.Join(", ", FaultNames)}, run label {LbaasClient.RunLabel}={run}, {options.Url}");
        if (!File.Exists(_supervisorPidFile))
        {
            throw new InvalidOperationException($"No {_supervisorPidFile}: start the stack with deploy/local/up.sh (HAProxy under its supervisor).");
        }
        // The second server answers for the load balancer the outage round creates.
        await using var servers = await TestBackend.StartManyAsync(2);
        using var probe = new FrontendProbe();
        try
        {
            var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                {"name": "{{run}}-faults", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "health_check": {"enabled": false},
                 "backends": [{"host": "127.0.0.1", "port": {{servers.Ports[0]}}}]}
                """, ct)).Expect(HttpStatusCode.Created);
            var port = (int)lb.Json["frontend_port"]!;
            var identity = TestBackend.Identity(servers.Ports[0]);
            Require(await probe.WaitForAsync(port, identity, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(10), ct), "the load balancer answering before the faults");

            var results = new List<(string Fault, Round Round)>();
            foreach (var fault in FaultNames)
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
            Console.WriteLine("| fault | failed probes p50 / max | failures span p50 / max | back after p50 / max | back → new load balancer live p50 / max |");
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
            case "outage":
                (backToLive, writeWhileDown) = await OutageAsync(before.Master.Pid, run, outageBackend, probe, ct);
                break;
            case "database":
                (backToLive, writeWhileDown) = await DatabaseOutageAsync(run, outageBackend, probe, ct);
                break;
            default:
                backToLive = await ApiOutageAsync(run, outageBackend, probe, ct);
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
            var created = (await CreateAsync(run, backend, ct)).Expect(HttpStatusCode.Accepted);
            var writeWhileDown = write.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Kill(supervisor, "CONT");
            var back = await WaitForHaProxyAsync(ct);
            var live = await probe.WaitForAsync((int)created.Json["frontend_port"]!, TestBackend.Identity(backend), back, TimeSpan.FromSeconds(20), ct);
            var backToLive = live.Answered ? live.Elapsed : (TimeSpan?)null;
            await api.DeleteAsync($"/api/v1/loadbalancer/{created.Id}", ct);
            return (backToLive, writeWhileDown);
        }
        finally
        {
            Kill(supervisor, "CONT");
        }
    }

    private Task<ApiAnswer> CreateAsync(string run, int backend, CancellationToken ct) => api.PostAsync("/api/v1/loadbalancer", $$"""
        {"name": "{{run}}-outage-{{Guid.NewGuid().ToString("N")[..6]}}", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"}, "health_check": {"enabled": false},
         "backends": [{"host": "127.0.0.1", "port": {{backend}}}]}
        """, ct);

    /// <summary>
    /// Crashes PostgreSQL for 2 s: a create meanwhile must be 503 (nothing stored); once it accepts
    /// connections again, creates until one is taken and measures from PostgreSQL back to that
    /// load balancer answering traffic. Returns that time and how long the 503 took.
    /// </summary>
    private async Task<(TimeSpan? BackToLive, TimeSpan WriteWhileDown)> DatabaseOutageAsync(string run, int backend, FrontendProbe probe, CancellationToken ct)
    {
        var data = Path.Combine(File.ReadAllText(Path.Combine(options.Home, "postgres.location")).Trim(), "data");
        await PgCtlAsync(data, "stop", "--mode=immediate", "--wait");
        TimeSpan writeWhileDown;
        try
        {
            var write = Stopwatch.StartNew();
            var refused = await CreateAsync(run, backend, ct);
            writeWhileDown = write.Elapsed;
            refused.Expect(HttpStatusCode.ServiceUnavailable);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        finally
        {
            await PgCtlAsync(data, "start", "--wait", "--timeout=60", $"--log={Path.Combine(Path.GetDirectoryName(data)!, "postgres.log")}");
        }
        return (await NewLoadBalancerLiveAsync(run, backend, Stopwatch.GetTimestamp(), probe, ct), writeWhileDown);
    }

    /// <summary>
    /// Kills the API (SIGKILL) for 2 s and starts it again with the command line, environment and
    /// working directory it ran with, its output appended to its log and its pid in its pid file
    /// (so down.sh still stops it). Measures from the start to a load balancer created through it
    /// answering traffic.
    /// </summary>
    private async Task<TimeSpan> ApiOutageAsync(string run, int backend, FrontendProbe probe, CancellationToken ct)
    {
        var pidFile = options.PidFile ?? throw new InvalidOperationException("The api round needs the API's pid file (--pid-file).");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        var command = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
        var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var directory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/";
        using (var dying = Process.GetProcessById(pid))
        {
            Kill(pid, "KILL");
            await dying.WaitForExitAsync(ct);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        // As api.sh: setsid in a background child execs in place, so $! is the API's own pid.
        var start = new ProcessStartInfo("bash", ["-c", "setsid \"$@\" </dev/null >>\"$0\" 2>&1 & echo $!", Path.Combine(options.Home, "logs", "api.log"), .. command])
        {
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        start.Environment.Clear();
        foreach (var pair in environment.Select(e => e.Split('=', 2)).Where(p => p.Length == 2))
        {
            start.Environment[pair[0]] = pair[1];
        }
        var started = Stopwatch.GetTimestamp();
        using (var launcher = Process.Start(start)!)
        {
            await File.WriteAllTextAsync(pidFile, (await launcher.StandardOutput.ReadLineAsync(ct))?.Trim() + "\n", ct);
            await launcher.WaitForExitAsync(ct);
        }
        return await NewLoadBalancerLiveAsync(run, backend, started, probe, ct)
            ?? throw new InvalidOperationException($"The API restarted by the api round did not take a write within {RoundCap.TotalSeconds} s: see {Path.Combine(options.Home, "logs", "api.log")}");
    }

    /// <summary>Creates a load balancer until the API takes one (bounded), then waits for it to answer; the time since <paramref name="since"/>.</summary>
    private async Task<TimeSpan?> NewLoadBalancerLiveAsync(string run, int backend, long since, FrontendProbe probe, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RoundCap)
        {
            try
            {
                var created = await CreateAsync(run, backend, ct);
                if (created.Status is HttpStatusCode.Created or HttpStatusCode.Accepted)
                {
                    var live = await probe.WaitForAsync((int)created.Json["frontend_port"]!, TestBackend.Identity(backend), since, TimeSpan.FromSeconds(20), ct);
                    await api.DeleteAsync($"/api/v1/loadbalancer/{created.Id}", ct);
                    return live.Answered ? live.Elapsed : null;
                }
            }
            catch (HttpRequestException)
            {
                // The API is not listening yet.
            }
            await Task.Delay(20, ct);
        }
        return null;
    }

    /// <summary>pg_ctl on the stack's cluster, as its owner: the postgres user when up.sh ran as root.</summary>
    private static async Task PgCtlAsync(string data, params string[] arguments)
    {
        var pgCtl = Path.Combine(Environment.GetEnvironmentVariable("LBAAS_PG_BIN") ?? "/usr/lib/postgresql/15/bin", "pg_ctl");
        string[] command = [pgCtl, .. arguments, $"--pgdata={data}", "--silent"];
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        start.WorkingDirectory = "/";
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {arguments[0]} exited with {process.ExitCode}");
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
    /// <param name="BackToLive">outage: HAProxy's master answering again → the load balancer created meanwhile answering; database: PostgreSQL accepting connections → a load balancer created then answering; api: the API started → a load balancer created through it answering.</param>
    /// <param name="WriteWhileDown">outage: how long the create took to answer (202) while HAProxy was down; database: how long its 503 took.</param>
    /// <param name="CappedOut">The round hit its time cap before the probe was steady.</param>
    private sealed record Round(int Failed, TimeSpan FailureSpan, TimeSpan BackAfter, TimeSpan? BackToLive, TimeSpan? WriteWhileDown, bool CappedOut)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Failed} failed probes over {FailureSpan.TotalMilliseconds:F0} ms, back after {BackAfter.TotalMilliseconds:F0} ms")
            + (BackToLive is { } live ? string.Create(CultureInfo.InvariantCulture, $", back → new load balancer live {live.TotalMilliseconds:F0} ms") : "")
            + (WriteWhileDown is { } write ? string.Create(CultureInfo.InvariantCulture, $", write answered {write.TotalMilliseconds:F0} ms while down") : "")
            + (CappedOut ? " (round capped at 30 s)" : "");
    }
}
