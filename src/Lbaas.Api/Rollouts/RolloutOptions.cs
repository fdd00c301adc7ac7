using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Rollouts;

/// <summary>How often the runner looks at rollouts; the <c>Rollouts</c> configuration section.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollouts";

    /// <summary>While a rollout waits for health checks or removals: how often it looks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>With no rollout under way: how often it looks for one started on another API replica.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(5);
}
