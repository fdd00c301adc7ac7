using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Monitoring;

/// <summary>A load balancer's health judged from one scrape.</summary>
/// <remarks>ChecksPending: Some backend it counts has not had its first health check yet (HAProxy starts servers UP).</remarks>
public sealed record LoadBalancerHealth(
    long Id,
    OperatingStatus Status,
    string Reason,
    IReadOnlyList<ObservedBackend> Backends,
    bool ChecksPending)
{
    /// <summary>
    /// What <c>?wait_for=online</c> waits for: ONLINE with every backend it counts steadily UP and
    /// its last check passed (not "UP 2/3", not a result carried over a reload before a check ran),
    /// or serving without checks.
    /// </summary>
    public bool IsOnline => Status == OperatingStatus.Online && !ChecksPending || Status == OperatingStatus.NoMonitor;
}

/// <summary>A backend's health judged from one scrape.</summary>
/// <remarks>Status: Null while HAProxy does not have the backend (not applied yet).
/// Row: HAProxy's <c>show stat</c> row of the server; null when it has none.
/// LastChangeSeconds: Seconds since HAProxy last changed the server's state, when it says.</remarks>
public sealed record ObservedBackend(
    MonitoredBackend Backend,
    BackendOperatingStatus? Status,
    string Reason,
    bool FirstCheckPending,
    StatRow? Row,
    long? LastChangeSeconds);
