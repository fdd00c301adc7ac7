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
public sealed record BackendResponse(
    long Id,
    long LoadBalancerId,
    string? Name,
    string Host,
    int Port,
    int Weight,
    bool Backup,
    BackendState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public static class BackendMapping
{
    public static BackendResponse ToResponse(this Backend b) =>
        new(b.Id, b.LoadBalancerId, b.Name, b.Host, b.Port, b.Weight, b.Backup, b.State, b.CreatedAt, b.UpdatedAt);

    public static BackendRequest ToRequest(this Backend b) =>
        new(b.Host, b.Port, b.Weight, b.Name, b.Backup, b.State);
}
