using System.ComponentModel.DataAnnotations;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.LeastResponseTime;

/// <summary>
/// How <c>least_response_time</c> load balancers turn measured response times into server weights;
/// the <c>Monitoring:ResponseTime</c> configuration section. See docs/least-response-time.md.
/// </summary>
public sealed class ResponseTimeOptions
{
    public const string Section = "Monitoring:ResponseTime";

    /// <summary>Off: weights are left as they are (those already lowered stay, across reloads too, until the backend's weight is set or HAProxy restarts).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Weight of a new sample in the moving average (1 = take the newest rtime as it is).</summary>
    [Range(0.01, 1.0)]
    public double Smoothing { get; set; } = 0.3;

    /// <summary>Lowest share of its full weight a slow server keeps, so that it is still measured and still serves.</summary>
    [Range(0.01, 1.0)]
    public double Floor { get; set; } = 0.1;

    /// <summary>A weight is changed only when the target differs from HAProxy's by this share of it (and by a whole unit at least).</summary>
    [Range(0.0, 1.0)]
    public double Hysteresis { get; set; } = 0.1;

    /// <summary>Requests a server must have served since the previous scrape for its rtime to count as a new sample.</summary>
    [Range(1, 1_000_000)]
    public int MinimumSamples { get; set; } = 10;

    /// <summary>Added to every response time before comparing: 1 ms of rounding between sub-millisecond servers does not halve a weight.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan Offset { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Without a new sample for this long, a server's average no longer counts and its weight decays back to full.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How fast a stale server's weight returns to full: half of the way in this time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DecayHalfLife { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Full weight is the configured weight times this (at most 256 / the pool's largest configured weight),
    /// so a server configured with weight 1 can still be lowered in steps of 1/16.
    /// </summary>
    [Range(1, ConfigValueRules.MaxWeight)]
    public int WeightScale { get; set; } = 16;
}
