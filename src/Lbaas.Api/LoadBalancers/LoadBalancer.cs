using Lbaas.Api.Backends;

namespace Lbaas.Api.LoadBalancers;

/// <summary>A load balancer as stored: one HAProxy frontend and its backend pool.</summary>
public sealed class LoadBalancer
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public Protocol Protocol { get; set; }
    public required string BindAddress { get; set; }
    public int FrontendPort { get; set; }
    public Algorithm Algorithm { get; set; }
    public HealthCheck HealthCheck { get; set; } = new();
    public Timeouts Timeouts { get; set; } = new();
    public int? MaxConnections { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public ProvisioningStatus ProvisioningStatus { get; set; }
    public OperatingStatus OperatingStatus { get; set; }

    /// <summary>Why the load balancer is in ERROR, in HAProxy's own words where it has them.</summary>
    public string? StatusReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: changes with every write of the row, surfaced as the ETag.</summary>
    public uint Version { get; set; }

    public List<Backend> Backends { get; set; } = [];
}

/// <summary>How HAProxy checks the servers of the pool. Durations are kept in milliseconds.</summary>
public sealed class HealthCheck
{
    public bool Enabled { get; set; } = true;
    public HealthCheckType Type { get; set; }
    public string Method { get; set; } = "GET";
    public string Path { get; set; } = "/";
    public string ExpectedStatus { get; set; } = "200-399";
    public int IntervalMs { get; set; } = 2000;
    public int TimeoutMs { get; set; } = 2000;
    public int Rise { get; set; } = 2;
    public int Fall { get; set; } = 3;
}

/// <summary>Connection timeouts in milliseconds.</summary>
public sealed class Timeouts
{
    public int ConnectMs { get; set; } = 5_000;
    public int ClientMs { get; set; } = 50_000;
    public int ServerMs { get; set; } = 50_000;
}
