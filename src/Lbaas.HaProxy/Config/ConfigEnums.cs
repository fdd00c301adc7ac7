namespace Lbaas.HaProxy.Config;

/// <summary>How a load balancer proxies: HTTP-aware or plain TCP.</summary>
public enum ProxyMode
{
    Http,
    Tcp,
}

/// <summary>
/// The service's balancing algorithms. Every one maps to a dynamic HAProxy algorithm, because
/// <c>add server</c> at runtime refuses backends with a static one.
/// </summary>
public enum BalanceAlgorithm
{
    RoundRobin,
    WeightedRoundRobin,
    LeastConnections,
    SourceIp,
    Random,

    /// <summary>Least connections; the control plane adjusts weights from measured response times.</summary>
    LeastResponseTime,
}

public enum HealthCheckKind
{
    /// <summary>A TCP connect: the server is up when it accepts the connection.</summary>
    Tcp,

    /// <summary>An HTTP request whose status must match the expected list.</summary>
    Http,
}

/// <summary>The administrative state an operator asked for.</summary>
public enum ServerAdminState
{
    Enabled,

    /// <summary>No new connections; current ones finish; health checks continue.</summary>
    Draining,

    /// <summary>Maintenance: no traffic and no health checks.</summary>
    Disabled,
}
