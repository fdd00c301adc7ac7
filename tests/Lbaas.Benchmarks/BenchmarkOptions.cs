using System.Globalization;

namespace Lbaas.Benchmarks;

internal sealed record BenchmarkOptions(string Scenario, Uri Url, int Count, int Clients, string? PidFile)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var scenario = "api";
        var url = new Uri(Environment.GetEnvironmentVariable("LBAAS_URL") ?? "http://127.0.0.1:8000");
        var count = 500;
        var clients = 10;
        var home = Environment.GetEnvironmentVariable("LBAAS_HOME") ?? ".lbaas";
        string? pidFile = Path.Combine(home, "run", "api.pid");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url": url = new Uri(args[++i]); break;
                case "--count": count = Math.Clamp(int.Parse(args[++i], CultureInfo.InvariantCulture), 1, 100_000); break;
                case "--clients": clients = Math.Clamp(int.Parse(args[++i], CultureInfo.InvariantCulture), 1, 64); break;
                case "--pid-file": pidFile = args[++i]; break;
                default: scenario = args[i]; break;
            }
        }
        return new BenchmarkOptions(scenario, url, count, clients, pidFile);
    }
}
