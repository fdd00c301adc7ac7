using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.Benchmarks;

/// <summary>
/// Faults: a bounded load (a new connection per request) runs through one load balancer while
/// HAProxy's current worker, then its master, is killed with SIGKILL, <c>--count</c> times each
/// (default 3). Needs HAProxy under its supervisor (deploy/local/up.sh): nothing else brings it
/// back. Reports, per fault, the time from the kill until a new master and worker answer on the
/// master CLI and until the frontend is answered again, and the requests that failed meanwhile.
/// </summary>
internal sealed class Faults(LbaasClient api, BenchmarkOptions options)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken ct)
    {
        var count = options.CountOr(3);
        var run = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"faults benchmark: {count} kills each of the worker and the master under a load of {options.Clients} clients, " +
            $"run label {LbaasClient.RunLabel}={run}, {options.Url}, master socket {options.MasterSocket}");
        await using var servers = await BackendServers.StartAsync(1);
        var rows = new List<string>();
        try
        {
            var lb = (await api.PostAsync("/api/v1/loadbalancer", $$"""
                {"name": "{{run}}-faults", "labels": {"{{LbaasClient.RunLabel}}": "{{run}}"},
                 "backends": [{"host": "127.0.0.1", "port": {{servers.Ports[0]}}}]}
                """, ct)).Expect(HttpStatusCode.Created);
            var port = (int)lb.Json["frontend_port"]!;
            foreach (var kind in new[] { "worker", "master" })
            {
                for (var i = 1; i <= count && !ct.IsCancellationRequested; i++)
                {
                    rows.Add(await KillOnceAsync(kind, i, port, BackendServers.Identity(servers.Ports[0]), ct));
                    Console.WriteLine("  " + rows[^1]);
                }
            }
        }
        finally
        {
            await api.DeleteRunAsync(run);
        }
        Console.WriteLine();
        Console.WriteLine($"## faults results ({options.Clients} load clients, new connection per request, {Environment.ProcessorCount} cores)");
        Console.WriteLine();
        Console.WriteLine("| Killed | # | HAProxy answers again | Frontend answers again | Requests failed / sent |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    private async Task<string> KillOnceAsync(string kind, int round, int port, string identity, CancellationToken ct)
    {
        using var probe = new FrontendProbe();
        var ready = await probe.WaitForAsync(port, identity, Stopwatch.GetTimestamp(), Bound, ct);
        if (!ready.Answered)
        {
            throw new InvalidOperationException($"port {port} does not answer before the kill: {ready.Last}");
        }
        var master = new MasterSocketClient(new MasterSocketOptions { SocketPath = options.MasterSocket, ConnectRetries = 0, CommandTimeout = TimeSpan.FromSeconds(1) });
        var before = await master.ShowProcAsync(ct);
        var victim = kind == "worker" ? before.CurrentWorker?.Pid ?? throw new InvalidOperationException("no current worker") : before.Master.Pid;

        var load = new LoadGenerator(port, keepAlive: false, options.Clients, options.LoadRequests, TimeSpan.FromSeconds(Math.Min(options.LoadSeconds, 30)));
        var loadTask = load.RunAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var killed = Stopwatch.GetTimestamp();
        Process.GetProcessById(victim).Kill();
        var back = await NewProcessesAsync(master, before, killed, ct);
        var served = await probe.WaitForAsync(port, identity, killed, Bound, ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        load.Stop();
        await loadTask;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {kind} {victim} | {round} | {Ms(back)} | {(served.Answered ? $"{served.Elapsed.TotalMilliseconds:0} ms" : $"not within {Bound.TotalSeconds:0} s")} | {load.Failed} / {load.Requests} |");
    }

    /// <summary>Time from the kill until <c>show proc</c> lists a worker that was not there before (under a new master); null if not within the bound.</summary>
    private static async Task<TimeSpan?> NewProcessesAsync(MasterSocketClient master, ProcessList before, long killed, CancellationToken ct)
    {
        while (Stopwatch.GetElapsedTime(killed) < Bound)
        {
            try
            {
                var now = await master.ShowProcAsync(ct);
                if (now.CurrentWorker is { } worker && worker.Pid != before.CurrentWorker?.Pid)
                {
                    return Stopwatch.GetElapsedTime(killed);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or FormatException)
            {
                // Not back yet.
            }
            await Task.Delay(5, ct);
        }
        return null;
    }

    private static string Ms(TimeSpan? elapsed) => elapsed is { } e ? string.Create(CultureInfo.InvariantCulture, $"{e.TotalMilliseconds:0} ms") : $"not within {Bound.TotalSeconds:0} s";
}
