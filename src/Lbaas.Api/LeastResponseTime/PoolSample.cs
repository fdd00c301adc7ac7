namespace Lbaas.Api.LeastResponseTime;

/// <summary>A load balancer's servers as one scrape saw them, for <see cref="WeightCalculator"/>.</summary>
/// <remarks>
/// Managed: least_response_time over HTTP, so weights follow response times; otherwise the weights
/// the controller changed go back to the configured ones.
/// Servers: its non-backup backends HAProxy has, with a configured weight above 0 and not being removed.
/// </remarks>
public sealed record PoolSample(long LoadBalancerId, string Name, bool Managed, IReadOnlyList<ServerSample> Servers);

/// <summary>One server of a pool in one scrape.</summary>
/// <remarks>
/// ConfiguredWeight: the backend's weight in the API. CurrentWeight: show stat's weight, what HAProxy applies now.
/// Adjustable: may be touched now: enabled, UP (or serving without checks), weight above 0 in HAProxy, not slow-starting.
/// ResponseTimeMs: rtime, HAProxy's average over the server's last 1024 requests.
/// Requests: requests it served since the previous scrape.
/// </remarks>
public sealed record ServerSample(
    long BackendId,
    string Label,
    int ConfiguredWeight,
    long CurrentWeight,
    bool Adjustable,
    long? ResponseTimeMs,
    long Requests);
