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

    /// <summary>Time over which a server that comes (back) up ramps to its full weight; null for at once.</summary>
    public int? SlowStartMs { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];
    /// <summary>
    /// Where HAProxy stands with this load balancer. Kept in a table of its own so that the
    /// reconciler and the health scraper never change the ETag a client holds.
    /// </summary>
    public LoadBalancerStatus Status { get; set; } = new();

    /// <summary>Desired-state revision: a new value from one global sequence on every write, backends included.</summary>
    public long Revision { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: changes with every write of the row, surfaced as the ETag.</summary>
    public uint Version { get; set; }

    public List<Backend> Backends { get; set; } = [];
}

/// <summary>What the control plane knows of a load balancer's life in HAProxy.</summary>
public sealed class LoadBalancerStatus
{
    public ProvisioningStatus ProvisioningStatus { get; set; } = ProvisioningStatus.PendingCreate;
    public OperatingStatus OperatingStatus { get; set; } = OperatingStatus.Offline;

    /// <summary>Why the load balancer has its operating status, e.g. "1 of 2 backends DOWN: web-2 (L4CON connection refused)".</summary>
    public string? OperatingReason { get; set; }

    /// <summary>When it entered its operating status; null until the scraper first saw it.</summary>
    public DateTimeOffset? OperatingSince { get; set; }

    /// <summary>Why the load balancer is in ERROR, in HAProxy's own words where it has them.</summary>
    public string? Reason { get; set; }

    /// <summary>The last <see cref="LoadBalancer.Revision"/> HAProxy served.</summary>
    public long AppliedRevision { get; set; }

    /// <summary>The last revision an apply tried, whether it went live or failed: writers wait for it.</summary>
    public long AttemptedRevision { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
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
