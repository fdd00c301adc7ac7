using System.Globalization;

namespace Lbaas.Benchmarks;

/// <param name="Scenario">api, convergence, churn, burst, scrape or faults.</param>
/// <param name="Url">The API.</param>
/// <param name="CountOption">--count as given; each scenario has its own default (<see cref="CountOr"/>).</param>
/// <param name="Clients">Concurrent clients: API clients (api, burst) or load clients through HAProxy (churn).</param>
/// <param name="PidFile">The API's pid file, for its memory (api).</param>
/// <param name="MasterSocket">HAProxy's master CLI socket, for reload counts when GET /api/v1/haproxy does not answer.</param>
/// <param name="ChangeTimeout">convergence: longest wait for the new backend to answer before the change counts as failed.</param>
/// <param name="LoadSeconds">churn: time cap of each load run.</param>
/// <param name="LoadRequests">churn: request cap of each load run.</param>
/// <param name="Home">The up.sh stack's LBAAS_HOME (faults: where PostgreSQL's location and the API's log are).</param>
internal sealed record BenchmarkOptions(
    string Scenario,
    Uri Url,
    int? CountOption,
    int Clients,
    string? PidFile,
    string MasterSocket,
    TimeSpan ChangeTimeout,
    int LoadSeconds,
    long LoadRequests,
    string Home)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Lbaas.Benchmarks -- <scenario> [options]
          scenarios: api | convergence | churn | burst | scrape | faults
          --url URL              the API (default $LBAAS_URL or http://127.0.0.1:8000)
          --count N              api: load balancers (500); convergence: changes per path and mode (200);
                                 churn: changes per load mode (100); burst: backend registrations (1000);
                                 scrape: load balancers of 10 backends (100); faults: rounds per fault (3)
          --clients N            api and burst: concurrent API clients; churn: load clients (default 10)
          --change-timeout S     convergence: seconds to wait for the new backend (default 10)
          --load-seconds S       churn: time cap of each load run (default 120)
          --load-requests N      churn: request cap of each load run (default 2000000)
          --master-socket PATH   HAProxy's master CLI (default $LBAAS_HAPROXY_DIR/master.sock or $LBAAS_HOME/haproxy/master.sock);
                                 scrape reads admin.sock beside it, faults supervisor.pid
          --pid-file PATH        the API's pid file (default $LBAAS_HOME/run/api.pid); faults restarts the API it names
        $LBAAS_HOME (default .lbaas) is the up.sh stack's home: faults reads postgres.location and appends to logs/api.log there
        """;

    public int CountOr(int fallback) => CountOption ?? fallback;

    public static BenchmarkOptions Parse(string[] args)
    {
        var scenario = "api";
        var url = new Uri(Environment.GetEnvironmentVariable("LBAAS_URL") ?? "http://127.0.0.1:8000");
        int? count = null;
        var clients = 10;
        var home = Path.GetFullPath(Environment.GetEnvironmentVariable("LBAAS_HOME") ?? ".lbaas");
        string? pidFile = Path.Combine(home, "run", "api.pid");
        var masterSocket = Path.Combine(Environment.GetEnvironmentVariable("LBAAS_HAPROXY_DIR") ?? Path.Combine(home, "haproxy"), "master.sock");
        var changeTimeout = TimeSpan.FromSeconds(10);
        var loadSeconds = 120;
        var loadRequests = 2_000_000L;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--url": url = new Uri(Next()); break;
                case "--count": count = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 100_000); break;
                case "--clients": clients = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 64); break;
                case "--pid-file": pidFile = Next(); break;
                case "--master-socket": masterSocket = Next(); break;
                case "--change-timeout": changeTimeout = TimeSpan.FromSeconds(Math.Clamp(double.Parse(Next(), CultureInfo.InvariantCulture), 0.1, 300)); break;
                case "--load-seconds": loadSeconds = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, 3600); break;
                case "--load-requests": loadRequests = Math.Clamp(long.Parse(Next(), CultureInfo.InvariantCulture), 1, 100_000_000); break;
                case "-h" or "--help": Console.WriteLine(Usage); Environment.Exit(0); break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
                    }
                    scenario = args[i];
                    break;
            }
        }
        return new BenchmarkOptions(scenario, url, count, clients, pidFile, masterSocket, changeTimeout, loadSeconds, loadRequests, home);
    }
}
