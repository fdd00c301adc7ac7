using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Sync;

/// <summary>The last apply, as readiness and (later) the HAProxy status endpoint report it.</summary>
public sealed class ApplyState
{
    private volatile Snapshot? _last;

    public Snapshot? Last => _last;

    public void Record(ApplyResult result, long revision, DateTimeOffset at) =>
        _last = new Snapshot(revision, at, result.Outcome.ToString(), result.IsLive, result.Message, result.Duration, result.WorkerPid);

    public void RecordFailure(string message, DateTimeOffset at) =>
        _last = new Snapshot(_last?.Revision ?? 0, at, "Failed", false, message, TimeSpan.Zero, _last?.WorkerPid);

    /// <summary>One finished apply.</summary>
    public sealed record Snapshot(long Revision, DateTimeOffset At, string Outcome, bool IsLive, string Message, TimeSpan Duration, int? WorkerPid);
}
