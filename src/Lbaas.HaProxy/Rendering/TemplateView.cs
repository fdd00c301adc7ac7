using System.Globalization;
using Lbaas.HaProxy.Config;
using Scriban.Runtime;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// What templates see: a projection of <see cref="ConfigModel"/> in which every value has passed
/// <see cref="ConfigGuard"/> and is already spelled as one HAProxy token ("2s", "[::1]:80",
/// "roundrobin"). A template therefore cannot print an unchecked value, whatever an operator
/// writes in it. Lists are sorted by id so equal models give equal text.
/// </summary>
internal static class TemplateView
{
    private static readonly string[] LogFormats = ["raw", "rfc3164", "rfc5424", "short", "priority", "timed", "iso", "local"];
    private static readonly string[] LogLevels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
    private static readonly string[] LogFacilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2",
        "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4",
        "local5", "local6", "local7",
    ];

    public static ScriptObject ForConfig(ConfigModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var logging = model.Global.Log is not null;
        var loadBalancers = SortedById(model.LoadBalancers, lb => lb.Id, "load_balancers");
        BindConflicts.ThrowIfAny(model);
        var view = new ScriptObject
        {
            ["global"] = Global(model.Global),
            ["defaults"] = Defaults(model.Defaults, logging),
            ["stats"] = model.Stats.Enabled ? Stats(model.Stats) : null,
        };
        var items = new ScriptArray();
        foreach (var lb in loadBalancers)
        {
            items.Add(LoadBalancer(lb, logging));
        }
        view["load_balancers"] = items;
        return view;
    }

    /// <summary>Just one load balancer, for the preview of its sections; <c>lb</c> is what loadbalancer.scriban reads.</summary>
    public static ScriptObject ForLoadBalancer(LoadBalancerModel lb, bool logging) => new() { ["lb"] = LoadBalancer(lb, logging) };

    private static ScriptObject Global(GlobalSettings global) => new()
    {
        ["admin_socket"] = ConfigGuard.FilePath(global.AdminSocketPath, "global.admin_socket_path"),
        ["server_state_file"] = ConfigGuard.FilePath(global.ServerStateFile, "global.server_state_file"),
        ["hard_stop_after"] = ConfigGuard.Duration(global.HardStopAfterMs, "global.hard_stop_after_ms"),
        ["maxconn"] = ConfigGuard.Range(global.MaxConnections, "global.max_connections", Values.ConfigValueRules.GlobalConnections),
        ["log"] = global.Log is { } log ? Log(log) : null,
    };

    private static ScriptObject Log(LogSettings log) => new()
    {
        ["target"] = LogTarget(log.Target),
        ["format"] = log.Format is null ? null : ConfigGuard.OneOf(log.Format, "global.log.format", LogFormats),
        ["facility"] = ConfigGuard.OneOf(log.Facility, "global.log.facility", LogFacilities),
        ["level"] = log.Level is null ? null : ConfigGuard.OneOf(log.Level, "global.log.level", LogLevels),
    };

    private static string LogTarget(string target)
    {
        const string field = "global.log.target";
        if (target is "stdout" or "stderr")
        {
            return target;
        }
        if (target.StartsWith('/'))
        {
            return ConfigGuard.FilePath(target, field);
        }
        var colon = ConfigGuard.Token(target, field).LastIndexOf(':');
        if (colon > 0 && int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return Values.ConfigValueRules.FormatEndpoint(ConfigGuard.IpLiteral(target[..colon], field), ConfigGuard.Port(port, field));
        }
        throw new ConfigValueException(field, "must be stdout, stderr, an absolute socket path or ip:port.");
    }

    private static ScriptObject Defaults(DefaultsSettings defaults, bool logging) => new()
    {
        ["logging"] = logging,
        ["idle_close_on_response"] = defaults.IdleCloseOnResponse,
        ["timeout_connect"] = ConfigGuard.Duration(defaults.ConnectTimeoutMs, "defaults.connect_timeout_ms"),
        ["timeout_client"] = ConfigGuard.Duration(defaults.ClientTimeoutMs, "defaults.client_timeout_ms"),
        ["timeout_server"] = ConfigGuard.Duration(defaults.ServerTimeoutMs, "defaults.server_timeout_ms"),
        ["timeout_http_request"] = ConfigGuard.Duration(defaults.HttpRequestTimeoutMs, "defaults.http_request_timeout_ms"),
        ["timeout_queue"] = ConfigGuard.Duration(defaults.QueueTimeoutMs, "defaults.queue_timeout_ms"),
        ["retries"] = ConfigGuard.Range(defaults.Retries, "defaults.retries", Values.ConfigValueRules.Retries),
    };

    private static ScriptObject Stats(StatsSettings stats) => new()
    {
        ["bind"] = Values.ConfigValueRules.FormatEndpoint(ConfigGuard.IpLiteral(stats.BindAddress, "stats.bind_address"), ConfigGuard.Port(stats.Port, "stats.port")),
    };

    private static ScriptObject LoadBalancer(LoadBalancerModel lb, bool logging)
    {
        var at = $"load_balancers[{Naming.Proxy(lb.Id)}]";
        var (balance, hashType) = Balance(ConfigGuard.Defined(lb.Algorithm, at + ".algorithm"));
        var servers = new ScriptArray();
        foreach (var server in SortedById(lb.Servers, s => s.Id, at + ".servers"))
        {
            servers.Add(Server(server, $"{at}.servers[{Naming.Server(server.Id)}]"));
        }
        return new ScriptObject
        {
            ["name"] = Naming.Proxy(PositiveId(lb.Id, at + ".id")),
            ["mode"] = ConfigGuard.Defined(lb.Mode, at + ".mode") == ProxyMode.Http ? "http" : "tcp",
            ["logging"] = logging,
            ["bind"] = Values.ConfigValueRules.FormatEndpoint(ConfigGuard.IpLiteral(lb.BindAddress, at + ".bind_address"), ConfigGuard.Port(lb.Port, at + ".port")),
            ["maxconn"] = lb.MaxConnections is { } maxconn ? ConfigGuard.Range(maxconn, at + ".max_connections", Values.ConfigValueRules.LoadBalancerConnections) : null,
            ["timeout_client"] = ConfigGuard.Duration(lb.Timeouts.ClientMs, at + ".timeouts.client_ms"),
            ["timeout_connect"] = ConfigGuard.Duration(lb.Timeouts.ConnectMs, at + ".timeouts.connect_ms"),
            ["timeout_server"] = ConfigGuard.Duration(lb.Timeouts.ServerMs, at + ".timeouts.server_ms"),
            ["balance"] = balance,
            ["hash_type"] = hashType,
            ["check"] = lb.HealthCheck.Enabled ? Check(lb.HealthCheck, at + ".health_check") : null,
            ["slowstart"] = lb.SlowStartMs is { } slow ? ConfigGuard.Duration(slow, at + ".slow_start_ms") : null,
            ["servers"] = servers,
        };
    }

    /// <summary>Every algorithm maps to a dynamic one: <c>add server</c> refuses backends with static algorithms.</summary>
    internal static (string Balance, string? HashType) Balance(BalanceAlgorithm algorithm) => algorithm switch
    {
        BalanceAlgorithm.RoundRobin or BalanceAlgorithm.WeightedRoundRobin => ("roundrobin", null),
        BalanceAlgorithm.LeastConnections or BalanceAlgorithm.LeastResponseTime => ("leastconn", null),
        BalanceAlgorithm.SourceIp => ("source", "consistent"),
        BalanceAlgorithm.Random => ("random", null),
        _ => throw new ConfigValueException("algorithm", $"has no meaning: {algorithm}."),
    };

    private static ScriptObject Check(HealthCheckModel check, string at)
    {
        var kind = ConfigGuard.Defined(check.Kind, at + ".kind");
        var http = kind == HealthCheckKind.Http;
        return new ScriptObject
        {
            ["kind"] = http ? "http" : "tcp",
            ["method"] = http ? ConfigGuard.Method(check.Method, at + ".method") : null,
            ["path"] = http ? ConfigGuard.HttpPath(check.Path, at + ".path") : null,
            ["expect_status"] = http ? ConfigGuard.StatusList(check.ExpectedStatus, at + ".expected_status") : null,
            ["inter"] = ConfigGuard.Duration(check.IntervalMs, at + ".interval_ms"),
            ["timeout"] = ConfigGuard.Duration(check.TimeoutMs, at + ".timeout_ms"),
            ["rise"] = ConfigGuard.Range(check.Rise, at + ".rise", Values.ConfigValueRules.CheckCount),
            ["fall"] = ConfigGuard.Range(check.Fall, at + ".fall", Values.ConfigValueRules.CheckCount),
        };
    }

    private static ScriptObject Server(ServerModel server, string at)
    {
        var host = ConfigGuard.Host(server.Host, at + ".host");
        var state = ConfigGuard.Defined(server.AdminState, at + ".admin_state");
        return new ScriptObject
        {
            ["name"] = Naming.Server(PositiveId(server.Id, at + ".id")),
            ["address"] = Values.ConfigValueRules.FormatEndpoint(host, ConfigGuard.Port(server.Port, at + ".port")),
            // The weight HAProxy applies: 0 while draining (ServerModel.EffectiveWeight decides it).
            ["weight"] = ConfigGuard.Range(server.EffectiveWeight, at + ".weight", Values.ConfigValueRules.Weight),
            ["backup"] = server.Backup,
            ["draining"] = state == ServerAdminState.Draining,
            ["disabled"] = state == ServerAdminState.Disabled,
            // A DNS name that stops resolving must disable its server, not fail the whole reload.
            ["init_addr"] = Values.ConfigValueRules.IsIpLiteral(host) ? null : "last,libc,none",
        };
    }

    private static long PositiveId(long id, string field) =>
        id > 0 ? id : throw new ConfigValueException(field, "must be a positive id.");

    private static List<T> SortedById<T>(IReadOnlyList<T> items, Func<T, long> id, string field)
    {
        var sorted = items.OrderBy(id).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (id(sorted[i]) == id(sorted[i - 1]))
            {
                throw new ConfigValueException(field, $"id {id(sorted[i])} appears twice.");
            }
        }
        return sorted;
    }
}
