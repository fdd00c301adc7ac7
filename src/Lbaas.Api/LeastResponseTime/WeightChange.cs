namespace Lbaas.Api.LeastResponseTime;

/// <summary>A <c>set weight</c> the controller wants sent, and why.</summary>
/// <remarks>
/// Full: the server's full weight (configured × the pool's scale), or its configured weight when restored.
/// AverageMs and FastestMs: the server's smoothed response time and the pool's fastest, when the cause is <see cref="WeightCause.ResponseTime"/>.
/// </remarks>
public sealed record WeightChange(
    long LoadBalancerId,
    string LoadBalancerName,
    long BackendId,
    string Label,
    long From,
    int To,
    int Full,
    WeightCause Cause,
    double? AverageMs = null,
    double? FastestMs = null);

public enum WeightCause
{
    /// <summary>Measured against the pool's fastest server.</summary>
    ResponseTime,

    /// <summary>No recent sample: the weight decays back to full.</summary>
    NoRecentSamples,

    /// <summary>The load balancer no longer uses least_response_time (or is TCP): back to the configured weight.</summary>
    NotManaged,
}
