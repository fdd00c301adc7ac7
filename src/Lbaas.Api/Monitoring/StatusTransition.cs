namespace Lbaas.Api.Monitoring;

/// <summary>One change of a load balancer's or backend's operating status, kept for <c>GET …/status</c>.</summary>
public sealed class StatusTransition
{
    public long Id { get; set; }
    public long LoadBalancerId { get; set; }

    /// <summary>The backend that changed; null for the load balancer itself. Not a foreign key: history outlives a deleted backend.</summary>
    public long? BackendId { get; set; }

    /// <summary>The status before; null when first seen.</summary>
    public string? FromStatus { get; set; }

    public required string ToStatus { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}
