using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;

namespace Lbaas.Api.Backends;

/// <summary>A server in a load balancer's pool.</summary>
public sealed class Backend
{
    public long Id { get; set; }
    public long LoadBalancerId { get; set; }
    public LoadBalancer? LoadBalancer { get; set; }
    public string? Name { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public int Weight { get; set; } = 1;
    public bool Backup { get; set; }
    public BackendState State { get; set; }

    /// <summary>
    /// Set while the backend is being removed: it drains, and the reconciler takes it out of
    /// HAProxy (and deletes the row) once its sessions have ended or this time has passed.
    /// </summary>
    public DateTimeOffset? RemoveBy { get; set; }

    /// <summary>Health as HAProxy last reported it; null until the scraper has seen the backend.</summary>
    public BackendHealth? Health { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> of the row, surfaced as the backend's ETag.</summary>
    public uint Version { get; set; }
}

/// <summary>The administrative state an operator asks for.</summary>
public enum BackendState
{
    Enabled,
    Draining,
    Disabled,
}
