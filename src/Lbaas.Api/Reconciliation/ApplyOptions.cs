using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Reconciliation;

/// <summary>How writes and the reconciler pace themselves; the <c>Apply</c> configuration section.</summary>
public sealed class ApplyOptions
{
    public const string Section = "Apply";

    /// <summary>Longest a write waits for its change to go live before answering 202 (LBAAS_APPLY_WAIT).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan WriteWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause after a wake-up so that a burst of writes becomes one apply.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Periodic re-apply: converges after HAProxy restarts and retries ERROR once the cause is gone.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the master's <c>show proc</c> is read to notice a dead worker, a new master or a
    /// dead HAProxy answering again, and wake the reconciler: the longest recovery waits for its look.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a removed backend may drain before its remaining sessions are cut; DELETE's drain_timeout overrides it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While backends drain before removal, how often their sessions are looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan DrainPoll { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether this process drives a local HAProxy. Off for API replicas that leave applying to another node.</summary>
    public bool Enabled { get; set; } = true;
}
