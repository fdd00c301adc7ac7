namespace Lbaas.HaProxy.Config;

/// <summary>
/// One load balancer: a frontend and a backend both named <c>lb_{Id}</c>. Names come from ids
/// only, so no user text ever becomes a section name.
/// </summary>
public sealed record LoadBalancerModel
{
    public required long Id { get; init; }
    public ProxyMode Mode { get; init; } = ProxyMode.Http;
    public required string BindAddress { get; init; }
    public required int Port { get; init; }

    /// <summary>Frontend connection limit; null inherits the process-wide limit.</summary>
    public int? MaxConnections { get; init; }

    public LoadBalancerTimeouts Timeouts { get; init; } = new();
    public BalanceAlgorithm Algorithm { get; init; } = BalanceAlgorithm.RoundRobin;
    public HealthCheckModel HealthCheck { get; init; } = new();

    /// <summary>Ramp-up time for a server that comes back up; null disables slow start.</summary>
    public int? SlowStartMs { get; init; }

    /// <summary>Rendered in id order whatever the order here.</summary>
    public IReadOnlyList<ServerModel> Servers { get; init; } = [];

    /// <summary>The frontend and backend name in haproxy.cfg and on the runtime API.</summary>
    public string ProxyName => Naming.Proxy(Id);
}
