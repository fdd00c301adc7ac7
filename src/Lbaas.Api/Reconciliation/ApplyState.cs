using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Reconciliation;

/// <summary>The last apply and counts of all applies since start, for readiness and <c>GET /api/v1/haproxy</c>.</summary>
public sealed class ApplyState
{
    private volatile Snapshot? _last;
    private volatile Unreachable? _unreachable;
    private long _none;
    private long _runtime;
    private long _reload;
    private long _failed;
    private int _reloading;

    public Snapshot? Last => _last;

    /// <summary>
    /// Set while the last apply found HAProxy's master socket silent, with when that started and
    /// why; null once an apply reached HAProxy again. Writes answer 202 at once while it is set.
    /// </summary>
    public Unreachable? HaProxyUnreachable => _unreachable;

    /// <summary>
    /// A reload is under way (from saving the server state until the new worker is confirmed):
    /// the master re-executes meanwhile and refuses connections, which says nothing about HAProxy
    /// being down.
    /// </summary>
    public bool Reloading => Volatile.Read(ref _reloading) > 0;

    public Counts Totals => new(Interlocked.Read(ref _none), Interlocked.Read(ref _runtime), Interlocked.Read(ref _reload), Interlocked.Read(ref _failed));

    public void Record(ApplyResult result, long revision, DateTimeOffset at)
    {
        var path = PathOf(result);
        _unreachable = result.Outcome == ApplyOutcome.HaProxyUnavailable
            ? _unreachable ?? new Unreachable(at, result.Message)
            : null;
        _last = new Snapshot(revision, at, path, result.Outcome.ToString(), result.IsLive, result.Message, result.Duration, result.WorkerPid);
        if (!result.IsLive)
        {
            Interlocked.Increment(ref _failed);
        }
        else if (path == "reload")
        {
            Interlocked.Increment(ref _reload);
        }
        else if (path == "runtime")
        {
            Interlocked.Increment(ref _runtime);
        }
        else
        {
            Interlocked.Increment(ref _none);
        }
    }

    /// <summary>HAProxy's master socket stopped answering outside an apply (<see cref="HaProxyWatch"/>); the next apply that reaches HAProxy clears it.</summary>
    public void MarkUnreachable(string message, DateTimeOffset at) => _unreachable ??= new Unreachable(at, message);

    /// <summary>Marks a reload under way until the returned handle is disposed.</summary>
    public IDisposable BeginReload()
    {
        Interlocked.Increment(ref _reloading);
        return new ReloadMark(this);
    }

    public void RecordFailure(string message, DateTimeOffset at)
    {
        _last = new Snapshot(_last?.Revision ?? 0, at, "none", "Failed", false, message, TimeSpan.Zero, _last?.WorkerPid);
        Interlocked.Increment(ref _failed);
    }

    /// <summary>How the apply reached HAProxy: none (nothing to do, or refused), runtime (runtime API) or reload.</summary>
    private static string PathOf(ApplyResult result) => result.Path switch
    {
        ApplyPath.Runtime => "runtime",
        ApplyPath.Reload => "reload",
        _ => "none",
    };

    private sealed class ReloadMark(ApplyState state) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref state._reloading);
            }
        }
    }

    /// <summary>One finished apply.</summary>
    public sealed record Snapshot(long Revision, DateTimeOffset At, string Path, string Outcome, bool IsLive, string Message, TimeSpan Duration, int? WorkerPid);

    /// <summary>HAProxy's master socket has not answered since <paramref name="Since"/>.</summary>
    public sealed record Unreachable(DateTimeOffset Since, string Message);

    /// <summary>Applies since the process started, by the path they took; failed ones apart.</summary>
    public sealed record Counts(long None, long Runtime, long Reload, long Failed);
}
