using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Metrics;

/// <summary>The label values of one apply, as a pure function of its result.</summary>
public static class ApplyLabels
{
    /// <summary>none (nothing sent: already live, or refused before HAProxy), runtime or reload (a reload asked for, whether it worked or not).</summary>
    public static string Path(ApplyResult result) => result.Path switch
    {
        ApplyPath.Runtime => "runtime",
        ApplyPath.Reload => "reload",
        _ when result.ReloadAttempted => "reload",
        _ => "none",
    };

    /// <summary>success when HAProxy serves the desired state (minus what was left out), else failure.</summary>
    public static string Result(ApplyResult result) => result.IsLive ? Success : Failure;

    /// <summary>The outcome in snake_case.</summary>
    public static string Outcome(ApplyResult result) => result.Outcome switch
    {
        ApplyOutcome.Unchanged => "unchanged",
        ApplyOutcome.Reloaded => "reloaded",
        ApplyOutcome.RuntimeApplied => "runtime_applied",
        ApplyOutcome.PartiallyApplied => "partially_applied",
        ApplyOutcome.Invalid => "invalid",
        ApplyOutcome.PortsUnavailable => "ports_unavailable",
        ApplyOutcome.ReloadFailed => "reload_failed",
        ApplyOutcome.HaProxyUnavailable => "haproxy_unavailable",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A runtime attempt that did not end the apply: a command was refused or the connection was
    /// lost, and the apply went on with a reload (whose own result is counted apart).
    /// <see cref="ApplyResult.RuntimeCommands"/> still counts the commands of that attempt.
    /// </summary>
    public static bool RuntimeFellBack(ApplyResult result) => result.RuntimeCommands > 0 && result.Path != ApplyPath.Runtime;

    public const string Success = "success";
    public const string Failure = "failure";
}
