using System.Text.Json.Serialization;

namespace Lbaas.Api.Monitoring;

/// <summary>What HAProxy makes of a backend, read from <c>show stat</c>.</summary>
public enum BackendOperatingStatus
{
    /// <summary>Takes traffic: its checks pass (or have not failed enough yet to count it down).</summary>
    [JsonStringEnumMemberName("UP")]
    Up,

    /// <summary>Its health checks failed fall times in a row (or its address does not resolve).</summary>
    [JsonStringEnumMemberName("DOWN")]
    Down,

    /// <summary>Finishes its sessions but gets no new ones: asked by the operator, or being removed.</summary>
    [JsonStringEnumMemberName("DRAINING")]
    Draining,

    /// <summary>Out of service: disabled by the operator.</summary>
    [JsonStringEnumMemberName("MAINT")]
    Maint,

    /// <summary>Takes traffic; its load balancer does not check its servers.</summary>
    [JsonStringEnumMemberName("NO_CHECK")]
    NoCheck,
}
