using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Tests.Rendering;

/// <summary>
/// Models that together use every option the templates know. Paths are fixed so golden files
/// are stable; haproxy -c only warns that the state file does not exist.
/// </summary>
internal static class Samples
{
    public static GlobalSettings Global => Models.Global;

    public static IReadOnlyDictionary<string, ConfigModel> All { get; } = new Dictionary<string, ConfigModel>
    {
        ["minimal.cfg"] = new() { Global = Global },
        ["http_full.cfg"] = HttpFull(),
        ["tcp_source_ip.cfg"] = TcpSourceIp(),
        ["algorithms.cfg"] = Algorithms(),
        ["logging_custom.cfg"] = LoggingCustom(),
        ["no_stats.cfg"] = new() { Global = Global, Stats = new StatsSettings { Enabled = false }, LoadBalancers = [Lb(5, 10085)] },
    };

    /// <summary>An http load balancer with an http check and servers in every state, listed out of order.</summary>
    public static ConfigModel HttpFull() => new()
    {
        Global = Global,
        LoadBalancers =
        [
            new LoadBalancerModel
            {
                Id = 42,
                Mode = ProxyMode.Http,
                BindAddress = "127.0.0.1",
                Port = 10080,
                MaxConnections = 2000,
                Timeouts = new LoadBalancerTimeouts { ClientMs = 30_000, ConnectMs = 3_000, ServerMs = 45_500 },
                Algorithm = BalanceAlgorithm.RoundRobin,
                HealthCheck = new HealthCheckModel
                {
                    Kind = HealthCheckKind.Http,
                    Method = "GET",
                    Path = "/healthz?full=1&x=[a]",
                    ExpectedStatus = "200,204",
                    IntervalMs = 5_000,
                    TimeoutMs = 1_500,
                    Rise = 3,
                    Fall = 2,
                },
                Servers =
                [
                    Models.Server(9, 8080, weight: 10, host: "10.0.0.9"),
                    Models.Server(7, 9001),
                    Models.Server(8, 9002) with { Backup = true },
                    Models.Server(11, 9003, weight: 5, ServerAdminState.Draining),
                    Models.Server(12, 9004, state: ServerAdminState.Disabled),
                    Models.Server(13, 9005, weight: 0),
                    Models.Server(14, 9006, weight: 256, ServerAdminState.Disabled) with { Backup = true },
                ],
            },
        ],
    };

    /// <summary>tcp mode, source hashing, a TCP check, slow start, IPv6 and a DNS name.</summary>
    private static ConfigModel TcpSourceIp() => new()
    {
        Global = Global,
        LoadBalancers =
        [
            new LoadBalancerModel
            {
                Id = 7,
                Mode = ProxyMode.Tcp,
                BindAddress = "::1",
                Port = 15432,
                Algorithm = BalanceAlgorithm.SourceIp,
                HealthCheck = new HealthCheckModel { Kind = HealthCheckKind.Tcp, IntervalMs = 1_000, TimeoutMs = 500, Rise = 1, Fall = 5 },
                SlowStartMs = 30_000,
                Servers =
                [
                    Models.Server(2, 5432, weight: 3, host: "localhost"),
                    Models.Server(1, 5433, host: "::1"),
                    Models.Server(3, 5434, host: "fd00::1:2") with { Backup = true },
                ],
            },
        ],
    };

    /// <summary>One load balancer per remaining algorithm; an http check with HEAD, a pool without checks, an empty pool.</summary>
    private static ConfigModel Algorithms() => new()
    {
        Global = Global,
        LoadBalancers =
        [
            Lb(1, 10001) with { Algorithm = BalanceAlgorithm.WeightedRoundRobin },
            Lb(2, 10002) with
            {
                Algorithm = BalanceAlgorithm.LeastConnections,
                HealthCheck = new HealthCheckModel { Kind = HealthCheckKind.Http, Method = "HEAD", Path = "/", ExpectedStatus = "200-399" },
            },
            Lb(3, 10003) with { Algorithm = BalanceAlgorithm.Random, HealthCheck = new HealthCheckModel { Enabled = false } },
            Lb(4, 10004) with { Algorithm = BalanceAlgorithm.LeastResponseTime, Mode = ProxyMode.Tcp },
            Lb(5, 10005) with { Algorithm = BalanceAlgorithm.SourceIp, Servers = [] },
            Lb(6, 10006) with { Algorithm = BalanceAlgorithm.RoundRobin, BindAddress = "0.0.0.0" },
        ],
    };

    /// <summary>Logging on, every global and defaults setting changed, stats on another port.</summary>
    private static ConfigModel LoggingCustom() => new()
    {
        Global = Global with
        {
            HardStopAfterMs = 3_600_000,
            MaxConnections = 50_000,
            Log = new LogSettings { Target = "127.0.0.1:514", Format = "rfc5424", Facility = "daemon", Level = null },
        },
        Defaults = new DefaultsSettings
        {
            ConnectTimeoutMs = 2_500,
            ClientTimeoutMs = 120_000,
            ServerTimeoutMs = 90_000,
            HttpRequestTimeoutMs = 5_000,
            QueueTimeoutMs = 1_000,
            Retries = 0,
        },
        Stats = new StatsSettings { BindAddress = "127.0.0.2", Port = 9404 },
        LoadBalancers =
        [
            Lb(20, 10020),
            Lb(21, 10021) with { Mode = ProxyMode.Tcp },
        ],
    };

    /// <summary>lb_<paramref name="id"/> with one server, b_<paramref name="id"/>01.</summary>
    public static LoadBalancerModel Lb(long id, int port) => Models.Lb(id, port, Models.Server(id * 100 + 1, 20000 + (int)id));
}
