using Lbaas.Benchmarks;

// Usage: dotnet run -c Release --project tests/Lbaas.Benchmarks -- [api] [--url http://127.0.0.1:8000] [--count 500] [--clients 10]
// Runs against a running stack (deploy/local/up.sh). Every loop is bounded by --count.
var options = BenchmarkOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
var scenario = options.Scenario switch
{
    "api" => new ApiThroughput(http, options).RunAsync(),
    _ => throw new ArgumentException($"Unknown scenario '{options.Scenario}'. Known: api."),
};
await scenario;
