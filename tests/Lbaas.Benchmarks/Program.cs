using System.Diagnostics;
using System.Runtime.InteropServices;
using Lbaas.Benchmarks;

// Usage: dotnet run -c Release --project tests/Lbaas.Benchmarks -- <api|convergence|churn|burst|scrape|faults> [--count N] [--clients N] …
// (--help lists every option). Runs against a running stack (deploy/local/up.sh); every loop is
// bounded by a count and a time cap, and everything a run creates carries its run label and is
// deleted at the end, Ctrl+C included.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
    if (options.Scenario is not ("api" or "convergence" or "churn" or "burst" or "scrape" or "faults"))
    {
        throw new ArgumentException($"Unknown scenario '{options.Scenario}'.\n{BenchmarkOptions.Usage}");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
using var stop = new CancellationTokenSource();
// Ctrl+C or SIGTERM: stop measuring and delete what this run created; a second signal ends the process.
void OnSignal(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping; deleting what this run created…");
        stop.Cancel();
    }
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
var api = new LbaasClient(http);
var counters = new HaProxyCounters(api, options.MasterSocket);
var scenario = options.Scenario switch
{
    "api" => new ApiThroughput(http, options).RunAsync(),
    "convergence" => new Convergence(api, counters, options).RunAsync(stop.Token),
    "churn" => new Churn(api, counters, options).RunAsync(stop.Token),
    "burst" => new Burst(api, counters, options).RunAsync(stop.Token),
    "scrape" => new Scrape(api, options).RunAsync(stop.Token),
    "faults" => new Faults(api, options).RunAsync(stop.Token),
    _ => throw new UnreachableException(),
};
try
{
    await scenario;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}
return 0;
