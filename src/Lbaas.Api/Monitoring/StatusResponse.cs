using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Monitoring;

/// <summary>A load balancer's status tree: its own statuses, each backend's, and the latest changes.</summary>
/// <param name="Id">The load balancer's id.</param>
/// <param name="Name">The load balancer's name.</param>
/// <param name="ProvisioningStatus">Where the configuration stands: ACTIVE once HAProxy serves it, ERROR when it refused it.</param>
/// <param name="StatusReason">Why provisioning is in ERROR, in HAProxy's words.</param>
/// <param name="OperatingStatus">ONLINE, DEGRADED, OFFLINE, NO_MONITOR or ERROR.</param>
/// <param name="OperatingReason">Why, e.g. "1 of 2 backends down: web-2 (L4CON connection refused)".</param>
/// <param name="OperatingSince">When it entered its operating status.</param>
/// <param name="CheckedAt">When HAProxy was last read for the live details below; null when this node does not watch HAProxy.</param>
/// <param name="Backends">Each backend, by id.</param>
/// <param name="Transitions">The latest status changes of the load balancer and its backends, newest first (at most 20); empty while PostgreSQL cannot be reached.</param>
public sealed record LoadBalancerStatusResponse(
    long Id,
    string Name,
    ProvisioningStatus ProvisioningStatus,
    string? StatusReason,
    OperatingStatus OperatingStatus,
    string? OperatingReason,
    DateTimeOffset? OperatingSince,
    DateTimeOffset? CheckedAt,
    IReadOnlyList<BackendStatusResponse> Backends,
    IReadOnlyList<TransitionResponse> Transitions)
{
    /// <summary>How fresh the answer is, as on the statistics endpoints: stale with the reason while HAProxy or PostgreSQL cannot be read; null where this node does not watch HAProxy.</summary>
    public ScrapeInfo? Scrape { get; init; }
}

/// <summary>One backend's status.</summary>
/// <param name="Id">The backend's id.</param>
/// <param name="Name">The backend's name, if it has one.</param>
/// <param name="Address">host:port.</param>
/// <param name="State">The administrative state asked for: enabled, draining or disabled.</param>
/// <param name="OperatingStatus">UP, DOWN, DRAINING, MAINT or NO_CHECK; null until seen in HAProxy.</param>
/// <param name="OperatingReason">Why, e.g. "L7STS 503 service unavailable".</param>
/// <param name="OperatingSince">When it entered its operating status.</param>
/// <param name="Check">The last health check as HAProxy reports it; null without checks or before the first.</param>
/// <param name="Weight">The weight HAProxy uses now (after slow start, drains, least-response-time adjustment).</param>
/// <param name="CurrentSessions">Sessions open to it now.</param>
public sealed record BackendStatusResponse(
    long Id,
    string? Name,
    string Address,
    BackendState State,
    BackendOperatingStatus? OperatingStatus,
    string? OperatingReason,
    DateTimeOffset? OperatingSince,
    CheckResponse? Check,
    long? Weight,
    long? CurrentSessions);

/// <summary>HAProxy's last health check of a server.</summary>
/// <param name="Status">HAProxy's check status: L4OK, L7OK, L4CON, L4TOUT, L7STS...</param>
/// <param name="Code">The HTTP status of an HTTP check.</param>
/// <param name="DurationMs">How long the check took.</param>
/// <param name="Description">HAProxy's words for the status, e.g. "Layer4 connection problem".</param>
/// <param name="Detail">What the check saw, e.g. "Connection refused".</param>
public sealed record CheckResponse(string Status, long? Code, long? DurationMs, string? Description, string? Detail);

/// <summary>One status change.</summary>
/// <param name="At">When.</param>
/// <param name="BackendId">The backend that changed; null for the load balancer.</param>
/// <param name="From">The status before; null when first seen.</param>
/// <param name="To">The status after.</param>
/// <param name="Reason">Why, as it was at the change.</param>
public sealed record TransitionResponse(DateTimeOffset At, long? BackendId, string? From, string To, string Reason);
