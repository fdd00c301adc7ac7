using Lbaas.Api.Backends;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.LoadBalancers;

/// <summary>A load balancer with its backends and statuses.</summary>
public sealed record LoadBalancerResponse(
    long Id,
    string Name,
    string? Description,
    Protocol Protocol,
    int FrontendPort,
    string BindAddress,
    Algorithm Algorithm,
    HealthCheckSpec HealthCheck,
    TimeoutsSpec Timeouts,
    int? MaxConnections,
    IReadOnlyDictionary<string, string> Labels,
    string? SlowStart,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    string? OperatingReason,
    DateTimeOffset? OperatingSince,
    string? StatusReason,
    IReadOnlyList<BackendResponse> Backends,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One page of load balancers.</summary>
/// <param name="Items">The load balancers on this page, by ascending id.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null on the last page.</param>
public sealed record LoadBalancerPage(IReadOnlyList<LoadBalancerResponse> Items, string? NextCursor);

public static class LoadBalancerMapping
{
    public static LoadBalancerResponse ToResponse(this LoadBalancer lb) => new(
        lb.Id,
        lb.Name,
        lb.Description,
        lb.Protocol,
        lb.FrontendPort,
        lb.BindAddress,
        lb.Algorithm,
        lb.HealthCheck.ToSpec(),
        lb.Timeouts.ToSpec(),
        lb.MaxConnections,
        lb.Labels,
        lb.SlowStartMs is { } slowStart ? Duration(slowStart) : null,
        lb.Status.ProvisioningStatus,
        lb.Status.OperatingStatus,
        lb.Status.OperatingReason,
        lb.Status.OperatingSince,
        lb.Status.Reason,
        lb.Backends.OrderBy(b => b.Id).Select(b => b.ToResponse()).ToList(),
        lb.CreatedAt,
        lb.UpdatedAt);

    /// <summary>The stored settings as a request: the document a merge patch applies to.</summary>
    public static LoadBalancerRequest ToRequest(this LoadBalancer lb) => new(
        lb.Name,
        lb.Description,
        lb.Protocol,
        lb.FrontendPort,
        lb.BindAddress,
        lb.Algorithm,
        lb.HealthCheck.ToSpec(),
        lb.Timeouts.ToSpec(),
        lb.MaxConnections,
        new Dictionary<string, string>(lb.Labels),
        lb.SlowStartMs is { } slowStart ? Duration(slowStart) : null);

    public static HealthCheckSpec ToSpec(this HealthCheck hc) => new(
        hc.Enabled,
        hc.Type,
        hc.Method,
        hc.Path,
        hc.ExpectedStatus,
        Duration(hc.IntervalMs),
        Duration(hc.TimeoutMs),
        hc.Rise,
        hc.Fall);

    public static TimeoutsSpec ToSpec(this Timeouts t) =>
        new(Duration(t.ConnectMs), Duration(t.ClientMs), Duration(t.ServerMs));

    private static string Duration(int milliseconds) =>
        ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds));
}
