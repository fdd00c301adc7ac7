namespace Lbaas.HaProxy.Applying;

/// <summary>The outcome of one apply, with everything the reconciler needs to set statuses.</summary>
public sealed record ApplyResult
{
    public required ApplyOutcome Outcome { get; init; }

    /// <summary>One line for a log or a status; HAProxy's own [ALERT] text when it refused something.</summary>
    public required string Message { get; init; }

    /// <summary>Load balancers left out of the configuration, each with its reason; they are not served.</summary>
    public IReadOnlyList<ExcludedLoadBalancer> Excluded { get; init; } = [];

    /// <summary>Things that did not stop the apply: haproxy -c warnings, a server state that could not be saved.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when a reload put a new worker in charge.</summary>
    public bool Reloaded { get; init; }

    /// <summary>
    /// True when the master was asked to reload, whatever came of it; with <see cref="Reloaded"/>
    /// false the reload failed. A file that could not be written asks for no reload.
    /// </summary>
    public bool ReloadAttempted { get; init; }

    /// <summary>How the apply reached HAProxy: not at all, by runtime commands, or by a reload.</summary>
    public ApplyPath Path { get; init; }

    /// <summary>Runtime API commands sent (on one connection), including those of a runtime attempt that fell back to a reload.</summary>
    public int RuntimeCommands { get; init; }

    /// <summary>The worker serving after the apply (the new one after a reload); null when unknown.</summary>
    public int? WorkerPid { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>SHA-256 (hex) of the text that was applied or refused; null when nothing rendered.</summary>
    public string? TextHash { get; init; }

    /// <summary>HAProxy serves the desired state, minus <see cref="Excluded"/>.</summary>
    public bool IsLive => Outcome is ApplyOutcome.Unchanged or ApplyOutcome.Reloaded or ApplyOutcome.RuntimeApplied or ApplyOutcome.PartiallyApplied;
}
