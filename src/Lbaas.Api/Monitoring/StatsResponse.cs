using System.Text.Json.Serialization;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Monitoring;

/// <summary>A load balancer's traffic and each backend's, from the last scrape of HAProxy.</summary>
/// <param name="Id">The load balancer's id.</param>
/// <param name="Name">The load balancer's name.</param>
/// <param name="Scrape">When and how fresh.</param>
/// <param name="Traffic">The load balancer's frontend: what its clients saw (HAProxy's own 503s included); average times from its backend pool.</param>
/// <param name="Backends">Each backend's traffic, by id.</param>
public sealed record LoadBalancerStatsResponse(
    long Id,
    string Name,
    ScrapeInfo Scrape,
    TrafficStats Traffic,
    IReadOnlyList<BackendStatsResponse> Backends);

/// <summary>One backend's traffic.</summary>
/// <param name="Id">The backend's id.</param>
/// <param name="Name">The backend's name, if it has one.</param>
/// <param name="Address">host:port.</param>
/// <param name="OperatingStatus">UP, DOWN, DRAINING, MAINT or NO_CHECK; null while not in HAProxy.</param>
/// <param name="Traffic">What HAProxy sent it and what it answered.</param>
public sealed record BackendStatsResponse(long Id, string? Name, string Address, BackendOperatingStatus? OperatingStatus, TrafficStats Traffic);


/// <summary>Every load balancer's traffic and health in one answer.</summary>
/// <param name="Scrape">When and how fresh.</param>
/// <param name="HaProxy">The HAProxy worker that was read.</param>
/// <param name="LoadBalancers">How many load balancers there are.</param>
/// <param name="OperatingStatuses">Load balancers by operating status.</param>
/// <param name="BackendOperatingStatuses">Backends by operating status (UNKNOWN: not in HAProxy yet).</param>
/// <param name="Traffic">All load balancers together.</param>
/// <param name="Items">Each load balancer, by id.</param>
public sealed record GlobalStatsResponse(
    ScrapeInfo Scrape,
    [property: JsonPropertyName("haproxy")] HaProxyProcessStats HaProxy,
    int LoadBalancers,
    IReadOnlyDictionary<string, int> OperatingStatuses,
    IReadOnlyDictionary<string, int> BackendOperatingStatuses,
    TrafficStats Traffic,
    IReadOnlyList<LoadBalancerSummary> Items);

/// <summary>The HAProxy worker that answered.</summary>
/// <param name="Pid">Its process id: a new one after every reload.</param>
/// <param name="Version">HAProxy's version.</param>
/// <param name="UptimeSeconds">Since this worker started (the last reload).</param>
/// <param name="CurrentConnections">Connections open now, all load balancers together.</param>
/// <param name="WorkersSeen">Workers seen since the API started: each reload adds one. Counters are carried across them.</param>
public sealed record HaProxyProcessStats(int Pid, string Version, long UptimeSeconds, long CurrentConnections, int WorkersSeen);

/// <summary>One load balancer in the summary.</summary>
/// <param name="Id">The load balancer's id.</param>
/// <param name="Name">The load balancer's name.</param>
/// <param name="OperatingStatus">ONLINE, DEGRADED, OFFLINE, NO_MONITOR or ERROR.</param>
/// <param name="RequestsTotal">Requests (sessions for tcp) since counting began.</param>
/// <param name="RequestsPerSecond">Over the last scrape window.</param>
/// <param name="CurrentSessions">Sessions open now.</param>
/// <param name="ErrorRate">Share of the last window's responses that were 5xx.</param>
/// <param name="AverageResponseTimeMs">HAProxy's average over the last 1024 requests.</param>
public sealed record LoadBalancerSummary(
    long Id,
    string Name,
    OperatingStatus OperatingStatus,
    long RequestsTotal,
    double? RequestsPerSecond,
    long CurrentSessions,
    double? ErrorRate,
    long? AverageResponseTimeMs);
