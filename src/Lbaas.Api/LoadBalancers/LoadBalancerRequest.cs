using Lbaas.Api.Backends;

namespace Lbaas.Api.LoadBalancers;

/// <summary>The desired settings of a load balancer (POST, PUT, and the result of a PATCH).</summary>
/// <param name="Name">Unique name, <c>^[a-z0-9][a-z0-9._-]{0,62}$</c>.</param>
/// <param name="Description">Free text for people, up to 1024 characters.</param>
/// <param name="Protocol"><c>http</c> (default) or <c>tcp</c>.</param>
/// <param name="FrontendPort">Port the load balancer listens on, 1-65535. Allocated from the configured range when omitted.</param>
/// <param name="BindAddress">IP address the frontend binds to. Defaults to the configured bind address.</param>
/// <param name="Algorithm">round_robin (default), weighted_round_robin, least_connections, source_ip, random or least_response_time; HAProxy's roundrobin, leastconn and source are accepted too.</param>
/// <param name="HealthCheck">How the servers are checked.</param>
/// <param name="Timeouts">Connection timeouts.</param>
/// <param name="MaxConnections">Most concurrent connections the frontend accepts, 1-1000000.</param>
/// <param name="Labels">Key/value labels to find load balancers again, e.g. {"env": "staging"}.</param>
/// <param name="SlowStart">A server that comes up (added, re-enabled, or healthy again) ramps from a small weight to its full weight over this time, like "30s"; null (default) gives it full weight at once.</param>
/// <param name="Backends">Servers of the pool. On POST they are created with the load balancer; on PUT and PATCH, when present, they replace the whole set.</param>
public sealed record LoadBalancerRequest(
    string? Name = null,
    string? Description = null,
    Protocol? Protocol = null,
    int? FrontendPort = null,
    string? BindAddress = null,
    Algorithm? Algorithm = null,
    HealthCheckSpec? HealthCheck = null,
    TimeoutsSpec? Timeouts = null,
    int? MaxConnections = null,
    Dictionary<string, string>? Labels = null,
    string? SlowStart = null,
    List<BackendRequest>? Backends = null);

/// <summary>Health check settings. Omitted fields take their defaults.</summary>
/// <param name="Enabled">Whether servers are checked at all (default true).</param>
/// <param name="Type"><c>http</c> or <c>tcp</c>; defaults to the load balancer's protocol.</param>
/// <param name="Method">HTTP method of the check: GET (default), HEAD or OPTIONS.</param>
/// <param name="Path">Absolute path of the check, default <c>/</c>. No spaces, quotes, '#', '%' or control characters.</param>
/// <param name="ExpectedStatus">Status codes that mean healthy, like "200-399" (default) or "200,204".</param>
/// <param name="Interval">Time between checks, like "2s" (default) or "500ms".</param>
/// <param name="Timeout">Time a check may take, default "2s".</param>
/// <param name="Rise">Consecutive successes to mark a server up, 1-100 (default 2).</param>
/// <param name="Fall">Consecutive failures to mark a server down, 1-100 (default 3).</param>
public sealed record HealthCheckSpec(
    bool? Enabled = null,
    HealthCheckType? Type = null,
    string? Method = null,
    string? Path = null,
    string? ExpectedStatus = null,
    string? Interval = null,
    string? Timeout = null,
    int? Rise = null,
    int? Fall = null);

/// <summary>Timeouts as durations like "5s", "500ms", "1m".</summary>
/// <param name="Connect">Time to establish a connection to a server (default "5s").</param>
/// <param name="Client">Inactivity timeout on the client side (default "50s").</param>
/// <param name="Server">Inactivity timeout on the server side (default "50s").</param>
public sealed record TimeoutsSpec(string? Connect = null, string? Client = null, string? Server = null);
