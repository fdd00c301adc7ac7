using System.Security.Cryptography;
using System.Text;
using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Applying;

/// <summary>What one apply has gathered so far; turns into the immutable <see cref="ApplyResult"/>.</summary>
internal sealed class ApplyRun(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public List<ExcludedLoadBalancer> Excluded { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>The model being applied (the desired one minus exclusions), once rendered.</summary>
    public ConfigModel? Model { get; set; }

    /// <summary>The text being applied, once rendered.</summary>
    public string? Text { get; set; }

    /// <summary>Runtime commands sent so far, for the result.</summary>
    public int RuntimeCommands { get; set; }

    /// <summary>The master has been asked to reload.</summary>
    public bool ReloadAttempted { get; set; }

    /// <summary>Unchanged or Reloaded, or PartiallyApplied when something was left out.</summary>
    public ApplyOutcome Success(ApplyOutcome complete) => Excluded.Count == 0 ? complete : ApplyOutcome.PartiallyApplied;

    public string Describe(string complete) => Excluded.Count == 0
        ? complete
        : $"Left out {string.Join("; ", Excluded.Select(e => $"lb_{e.Id}: {e.Reason.TrimEnd('.')}"))}. {complete}";

    public ApplyResult Finish(ApplyOutcome outcome, string message, bool reloaded = false, int? workerPid = null) => new()
    {
        Outcome = outcome,
        Message = message,
        Excluded = [.. Excluded],
        Warnings = [.. Warnings],
        Reloaded = reloaded,
        ReloadAttempted = ReloadAttempted,
        Path = reloaded ? ApplyPath.Reload : outcome == ApplyOutcome.RuntimeApplied ? ApplyPath.Runtime : ApplyPath.None,
        RuntimeCommands = RuntimeCommands,
        WorkerPid = workerPid,
        Duration = time.GetElapsedTime(_started),
        TextHash = Text is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text))),
    };
}
