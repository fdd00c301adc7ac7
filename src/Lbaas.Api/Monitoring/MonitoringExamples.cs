using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Monitoring;

/// <summary>OpenAPI examples of the status and statistics operations.</summary>
internal static class MonitoringExamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);

    /// <summary>A fresh scrape; while PostgreSQL is away Stale is true and LastError reads "database unavailable: Failed to connect to 127.0.0.1:5432 (Connection refused)".</summary>
    internal static readonly ScrapeInfo Scrape = new(At, 2.0, false, null, At.AddSeconds(-0.01));

    private static readonly TrafficStats Web1 = new(18_240, 11.5, 3, 41, 18_240, 3_512_004, 91_240_311,
        new ResponseClasses(0, 18_102, 12, 121, 5, 0), 0.0, 12, 0, 1, 14, 0, 2);

    private static readonly TrafficStats Web2 = new(6_120, 0.0, 0, 17, 6_120, 1_180_233, 30_611_902,
        new ResponseClasses(0, 6_030, 4, 40, 46, 0), null, 19, 0, 1, 22, 31, 4);

    private static readonly TrafficStats Total = TrafficStats.Sum([Web1, Web2]) with { CurrentSessions = 3, MaxSessions = 44 };

    public static (object? Request, object? Response) For(string? operationId) => operationId switch
    {
        "GetLoadBalancerStatus" => (null, new LoadBalancerStatusResponse(42, "web-lb", ProvisioningStatus.Active, null,
            OperatingStatus.Degraded, "1 of 2 backends down: web-2 (L4CON connection refused)", At.AddMinutes(-3), At,
            [
                new BackendStatusResponse(7, "web-1", "127.0.0.1:9001", BackendState.Enabled, BackendOperatingStatus.Up, "L7OK 200", At.AddHours(-2),
                    new CheckResponse("L7OK", 200, 1, "Layer7 check passed", "OK"), 1, 3),
                new BackendStatusResponse(8, "web-2", "127.0.0.1:9002", BackendState.Enabled, BackendOperatingStatus.Down, "L4CON connection refused", At.AddMinutes(-3),
                    new CheckResponse("L4CON", null, 0, "Layer4 connection problem", "Connection refused"), 1, 0),
            ],
            [
                new TransitionResponse(At.AddMinutes(-3), null, "ONLINE", "DEGRADED", "1 of 2 backends down: web-2 (L4CON connection refused)"),
                new TransitionResponse(At.AddMinutes(-3), 8, "UP", "DOWN", "L4CON connection refused"),
                new TransitionResponse(At.AddHours(-2), null, null, "ONLINE", "all 2 backends are up"),
            ])
        { Scrape = Scrape }),
        "GetLoadBalancerStats" => (null, new LoadBalancerStatsResponse(42, "web-lb", Scrape, Total,
            [
                new BackendStatsResponse(7, "web-1", "127.0.0.1:9001", BackendOperatingStatus.Up, Web1),
                new BackendStatsResponse(8, "web-2", "127.0.0.1:9002", BackendOperatingStatus.Down, Web2),
            ])),
        "GetStats" => (null, new GlobalStatsResponse(Scrape, new HaProxyProcessStats(11779, "2.6.12-1+deb12u4", 5400, 3, 4), 2,
            new Dictionary<string, int> { ["DEGRADED"] = 1, ["ONLINE"] = 1 },
            new Dictionary<string, int> { ["UP"] = 2, ["DOWN"] = 1 },
            Total,
            [
                new LoadBalancerSummary(42, "web-lb", OperatingStatus.Degraded, Total.RequestsTotal, Total.RequestsPerSecond, 3, Total.ErrorRate, Total.AverageResponseTimeMs),
                new LoadBalancerSummary(43, "api-lb", OperatingStatus.Online, 0, 0, 0, null, null),
            ])),
        _ => (null, null),
    };
}
