using System.Text.Json.Serialization;
using Lbaas.Api.Http;

namespace Lbaas.Api.LoadBalancers;

public enum Protocol
{
    Http,
    Tcp,
}

/// <summary>Balancing algorithms. HAProxy's spellings are accepted as aliases.</summary>
public enum Algorithm
{
    [EnumAlias("roundrobin")]
    RoundRobin,
    WeightedRoundRobin,
    [EnumAlias("leastconn")]
    LeastConnections,
    [EnumAlias("source")]
    SourceIp,
    Random,
    LeastResponseTime,
}

public enum HealthCheckType
{
    Http,
    Tcp,
}

public enum ProvisioningStatus
{
    [JsonStringEnumMemberName("PENDING_CREATE")]
    PendingCreate,
    [JsonStringEnumMemberName("PENDING_UPDATE")]
    PendingUpdate,
    [JsonStringEnumMemberName("PENDING_DELETE")]
    PendingDelete,
    [JsonStringEnumMemberName("ACTIVE")]
    Active,
    [JsonStringEnumMemberName("ERROR")]
    Error,
}

public enum OperatingStatus
{
    [JsonStringEnumMemberName("ONLINE")]
    Online,
    [JsonStringEnumMemberName("DEGRADED")]
    Degraded,
    [JsonStringEnumMemberName("OFFLINE")]
    Offline,
    [JsonStringEnumMemberName("NO_MONITOR")]
    NoMonitor,
    [JsonStringEnumMemberName("ERROR")]
    Error,
}
