using Lbaas.Api.Monitoring;
namespace Lbaas.Api.Backends;

/// <summary>A server of the pool.</summary>
/// <param name="Host">IP literal or RFC 1123 host name.</param>
/// <param name="Port">Port of the server, 1-65535.</param>
/// <param name="Weight">Share of the traffic, 0-256 (default 1). 0 receives no new traffic.</param>
/// <param name="Name">Optional name, unique in the load balancer, <c>^[a-z0-9][a-z0-9._-]{0,62}$</c>.</param>
/// <param name="Backup">Only used when every non-backup server is down (default false).</param>
/// <param name="State">enabled (default), draining (no new sessions) or disabled.</param>
public sealed record BackendRequest(
    string? Host = null,
    int? Port = null,
    int? Weight = null,
    string? Name = null,
    bool? Backup = null,
    BackendState? State = null);

/// <summary>A server of the pool as stored.</summary>
/// <param name="Id">The backend's id; its server is <c>b_{id}</c> in haproxy.cfg.</param>
/// <param name="LoadBalancerId">The load balancer whose pool it is in.</param>
/// <param name="Name">Optional name, unique among the pool's backends that are not being removed.</param>
/// <param name="Host">IP literal or host name.</param>
/// <param name="Port">Port of the server.</param>
/// <param name="Weight">Share of the traffic, 0-256.</param>
/// <param name="Backup">Only used when every non-backup server is down.</param>
/// <param name="State">enabled, draining or disabled.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="RemoveBy">
/// Set while the backend is being removed (DELETE, or left out of a PUT): it drains, and leaves
/// HAProxy once its sessions have ended, at the latest at this time. Null otherwise.
/// </param>
/// <param name="OperatingStatus">What HAProxy makes of it: UP, DOWN, DRAINING, MAINT or NO_CHECK; null until the health scraper has seen it in HAProxy.</param>
/// <param name="OperatingReason">Why, e.g. the last health check's result "L4CON connection refused" or "L7STS 503 service unavailable".</param>
/// <param name="OperatingSince">When it entered its operating status (UTC).</param>
/// <param name="PendingReason">
/// On the answer to a write whose change is not live in HAProxy yet, why, when that is known:
/// HAProxy is unreachable (the answer is then 202 with <c>Retry-After</c>, and the change goes
/// live as soon as HAProxy answers again). Null otherwise, and always null on reads: the load
/// balancer's <c>provisioning_status</c> and <c>status_reason</c> tell how its pool stands.
/// </param>
public sealed record BackendResponse(
    long Id,
    long LoadBalancerId,
    string? Name,
    string Host,
    int Port,
    int Weight,
    bool Backup,
    BackendState State,
    DateTimeOffset? RemoveBy,
    BackendOperatingStatus? OperatingStatus,
    string? OperatingReason,
    DateTimeOffset? OperatingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? PendingReason = null);

public static class BackendMapping
{
    public static BackendResponse ToResponse(this Backend b) =>
        new(b.Id, b.LoadBalancerId, b.Name, b.Host, b.Port, b.Weight, b.Backup, b.State, b.RemoveBy,
            b.Health?.OperatingStatus, b.Health?.Reason, b.Health?.Since, b.CreatedAt, b.UpdatedAt);

    public static BackendRequest ToRequest(this Backend b) =>
        new(b.Host, b.Port, b.Weight, b.Name, b.Backup, b.State);
}
