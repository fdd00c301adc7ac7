using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Config;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// Stored load balancers to the plain records the templates see. Only the load balancers that
/// should be live are passed in (not those being deleted); the templates never see an entity.
/// </summary>
public static class ConfigModelMapper
{
    /// <param name="loadBalancers">The load balancers that should be live.</param>
    /// <param name="options">Paths, stats port and limits of the HAProxy being driven.</param>
    /// <param name="descriptorLimit">The hard descriptor limit HAProxy runs under; sizes <c>maxconn</c> unless configured.</param>
    /// <param name="removed">Backends being removed that leave HAProxy now (<see cref="FinishedDrains.Due"/>); the others being removed drain.</param>
    public static ConfigModel From(IEnumerable<LoadBalancer> loadBalancers, HaProxyOptions options, long descriptorLimit, IReadOnlySet<long>? removed = null)
    {
        var models = loadBalancers.OrderBy(lb => lb.Id).Select(lb => ToModel(lb, removed ?? new HashSet<long>())).ToList();
        var listeners = models.Count + 2; // frontends, stats, admin socket
        return new ConfigModel
        {
            Global = new GlobalSettings
            {
                AdminSocketPath = options.AdminSocketPath,
                ServerStateFile = options.ServerStateFile,
                HardStopAfterMs = options.HardStopAfterMs,
                MaxConnections = options.MaxConnections
                    ?? DescriptorLimit.MaxConnections(descriptorLimit, listeners, models.Sum(m => m.Servers.Count)),
            },
            Defaults = new DefaultsSettings { IdleCloseOnResponse = options.IdleCloseOnResponse },
            Stats = new StatsSettings { BindAddress = options.StatsBindAddress, Port = options.StatsPort },
            LoadBalancers = models,
        };
    }

    public static LoadBalancerModel ToModel(LoadBalancer lb, IReadOnlySet<long> removed) => new()
    {
        Id = lb.Id,
        Mode = lb.Protocol == Protocol.Tcp ? ProxyMode.Tcp : ProxyMode.Http,
        BindAddress = lb.BindAddress,
        Port = lb.FrontendPort,
        MaxConnections = lb.MaxConnections,
        SlowStartMs = lb.SlowStartMs,
        Timeouts = new LoadBalancerTimeouts
        {
            ClientMs = lb.Timeouts.ClientMs,
            ConnectMs = lb.Timeouts.ConnectMs,
            ServerMs = lb.Timeouts.ServerMs,
        },
        Algorithm = lb.Algorithm switch
        {
            Algorithm.RoundRobin => BalanceAlgorithm.RoundRobin,
            Algorithm.WeightedRoundRobin => BalanceAlgorithm.WeightedRoundRobin,
            Algorithm.LeastConnections => BalanceAlgorithm.LeastConnections,
            Algorithm.SourceIp => BalanceAlgorithm.SourceIp,
            Algorithm.Random => BalanceAlgorithm.Random,
            Algorithm.LeastResponseTime => BalanceAlgorithm.LeastResponseTime,
            _ => throw new ArgumentOutOfRangeException(nameof(lb), lb.Algorithm, "Unknown algorithm."),
        },
        HealthCheck = new HealthCheckModel
        {
            Enabled = lb.HealthCheck.Enabled,
            Kind = lb.HealthCheck.Type == HealthCheckType.Http ? HealthCheckKind.Http : HealthCheckKind.Tcp,
            Method = lb.HealthCheck.Method,
            Path = lb.HealthCheck.Path,
            ExpectedStatus = lb.HealthCheck.ExpectedStatus,
            IntervalMs = lb.HealthCheck.IntervalMs,
            TimeoutMs = lb.HealthCheck.TimeoutMs,
            Rise = lb.HealthCheck.Rise,
            Fall = lb.HealthCheck.Fall,
        },
        Servers = lb.Backends.Where(b => !removed.Contains(b.Id)).OrderBy(b => b.Id).Select(ToModel).ToList(),
    };

    private static ServerModel ToModel(Backend backend) => new()
    {
        Id = backend.Id,
        Host = backend.Host,
        Port = backend.Port,
        Weight = backend.Weight,
        Backup = backend.Backup,
        AdminState = backend.State switch
        {
            BackendState.Disabled => ServerAdminState.Disabled,
            // A backend being removed drains whatever state it was asked to have before.
            _ when backend.RemoveBy is not null => ServerAdminState.Draining,
            BackendState.Draining => ServerAdminState.Draining,
            _ => ServerAdminState.Enabled,
        },
    };
}
