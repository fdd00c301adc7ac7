using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Monitoring;

/// <summary>A load balancer's health judged from one scrape.</summary>
/// <remarks>ChecksPending: some backend it counts is not yet steadily UP with a passed last check (first check pending, failing, "UP 2/3").</remarks>
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
/// Row: HAProxy's <c>show stat</c> row of the server; null when it has none.</remarks>
public sealed record ObservedBackend(
    MonitoredBackend Backend,
    BackendOperatingStatus? Status,
    string Reason,
    bool FirstCheckPending,
    StatRow? Row);
