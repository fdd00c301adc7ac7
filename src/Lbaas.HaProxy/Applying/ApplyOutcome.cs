namespace Lbaas.HaProxy.Applying;

/// <summary>What one <see cref="ConfigApplier.ApplyAsync"/> did to HAProxy.</summary>
public enum ApplyOutcome
{
    /// <summary>The rendered text is already what HAProxy runs: nothing was written, nothing reloaded.</summary>
    Unchanged,

    /// <summary>The new configuration is written and a new worker serves it.</summary>
    Reloaded,

    /// <summary>
    /// Only servers changed: runtime API commands made the running worker serve the new
    /// configuration, which is written too, so the next reload reads the same. No reload.
    /// </summary>
    RuntimeApplied,

    /// <summary>
    /// Everything except <see cref="ApplyResult.Excluded"/> is live, by a reload or because it
    /// already was (<see cref="ApplyResult.Reloaded"/> tells which); the excluded load balancers
    /// are not in HAProxy at all.
    /// </summary>
    PartiallyApplied,

    /// <summary>Rendering or <c>haproxy -c</c> refused the configuration; nothing was written.</summary>
    Invalid,

    /// <summary>A bind no load balancer owns (the stats frontend) cannot be bound; nothing was written.</summary>
    PortsUnavailable,

    /// <summary>
    /// The file could not be written, or HAProxy did not load it; the last good file is back in
    /// place and the previous worker keeps serving.
    /// </summary>
    ReloadFailed,

    /// <summary>
    /// The master socket did not answer; the file on disk is still the one HAProxy last loaded.
    /// Retry with backoff.
    /// </summary>
    HaProxyUnavailable,
}
