using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Applying;
using Prometheus;

namespace Lbaas.Api.Metrics;

/// <summary>
/// The reconciler's own series: applies by path and result, reloads, runtime commands, revisions
/// and convergence. The reconciler calls <see cref="Record"/> after every apply;
/// <see cref="Update"/> ages the convergence lag each time Prometheus collects, so a reconciler that
/// stopped applying still shows a growing lag.
/// </summary>
public sealed class ControlPlaneMetrics
{
    private static readonly double[] ApplyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] ConvergenceBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly TimeProvider _time;
    private readonly Histogram _applyDuration;
    private readonly Counter _applies;
    private readonly Counter _reloads;
    private readonly Counter _runtimeCommands;
    private readonly Counter _runtimeFallbacks;
    private readonly Counter _reconcileErrors;
    private readonly Gauge _desiredRevision;
    private readonly Gauge _appliedRevision;
    private readonly Histogram _convergence;
    private readonly Gauge _lag;
    private readonly Gauge _lastApply;

    /// <summary>UTC ticks of the oldest change not yet live after the last apply; 0 when none.</summary>
    private long _oldestUnapplied;

    /// <summary>
    /// When each load balancer's changes stopped being live: its first write not yet live, kept
    /// while later writes pile up, so neither the lag nor the convergence time restarts with each
    /// new write. Only the reconciler's loop calls <see cref="Record"/>.
    /// </summary>
    private readonly Dictionary<long, DateTimeOffset> _pendingSince = [];

    public ControlPlaneMetrics(IMetricFactory factory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _time = time;
        _applyDuration = factory.CreateHistogram("lbaas_apply_duration_seconds",
            "How long one apply took (render, checks, and the runtime commands or the reload), by the path it took.",
            ["path"], new HistogramConfiguration { Buckets = ApplyBuckets });
        _applies = factory.CreateCounter("lbaas_applies_total",
            "Applies of the desired state to HAProxy, by path (none, runtime, reload), result (success, failure) and outcome.",
            ["path", "result", "outcome"]);
        _reloads = factory.CreateCounter("lbaas_haproxy_reloads_total",
            "Reloads the control plane asked HAProxy's master for: success when a new worker took over, else failure.", ["result"]);
        _runtimeCommands = factory.CreateCounter("lbaas_runtime_commands_total",
            "Runtime API commands sent. success: their runtime apply went through; failure: sent in a runtime attempt that was refused " +
            "or lost its connection and fell back to a reload (replies are judged per apply, so every command of that attempt counts).",
            ["result"]);
        _runtimeFallbacks = factory.CreateCounter("lbaas_runtime_fallbacks_total",
            "Runtime applies that a refused command or a lost connection turned into a reload.");
        _reconcileErrors = factory.CreateCounter("lbaas_reconcile_errors_total",
            "Unexpected errors in the reconciler's loop (the apply is tried again a second later).");
        _desiredRevision = factory.CreateGauge("lbaas_desired_revision", "Highest revision of the desired state, as the last apply read it.");
        _appliedRevision = factory.CreateGauge("lbaas_applied_revision",
            "Every change up to this revision is live in HAProxy, as of the last apply; below lbaas_desired_revision while some change is not.");
        _convergence = factory.CreateHistogram("lbaas_convergence_seconds",
            "Seconds from a write to a load balancer to its change being live in HAProxy.",
            new HistogramConfiguration { Buckets = ConvergenceBuckets });
        _lag = factory.CreateGauge("lbaas_convergence_lag_seconds",
            "Age of the oldest change that is not live in HAProxy yet (0 when everything is); it keeps growing while the reconciler does not apply it.");
        _lastApply = factory.CreateGauge("lbaas_last_apply_timestamp_seconds",
            "When the reconciler last finished an apply, whatever its result (Unix time); 0 before the first.");
        foreach (var result in new[] { ApplyLabels.Success, ApplyLabels.Failure })
        {
            // Both results exist from the start, so a first failure is an increase rate() can see.
            _reloads.WithLabels(result);
            _runtimeCommands.WithLabels(result);
        }
    }

    /// <summary>One apply: what <see cref="ConfigApplier"/> returned for the desired state it was given.</summary>
    public void Record(ApplyResult result, IReadOnlyList<LoadBalancer> desired)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(desired);
        var path = ApplyLabels.Path(result);
        _applyDuration.WithLabels(path).Observe(result.Duration.TotalSeconds);
        _applies.WithLabels(path, ApplyLabels.Result(result), ApplyLabels.Outcome(result)).Inc();
        if (result.ReloadAttempted)
        {
            _reloads.WithLabels(result.Reloaded ? ApplyLabels.Success : ApplyLabels.Failure).Inc();
        }
        // RuntimeCommands alone would count a refused batch as applied: its path tells whether it went through.
        if (ApplyLabels.RuntimeFellBack(result))
        {
            _runtimeCommands.WithLabels(ApplyLabels.Failure).Inc(result.RuntimeCommands);
            _runtimeFallbacks.Inc();
        }
        else if (result.Path == ApplyPath.Runtime)
        {
            _runtimeCommands.WithLabels(ApplyLabels.Success).Inc(result.RuntimeCommands);
        }
        var now = _time.GetUtcNow();
        var changes = desired.Select(lb => new DesiredChange(lb.Id, lb.Revision, lb.Status.AppliedRevision, PendingSince(lb))).ToList();
        var report = Convergence.Assess(changes, result, now);
        var excluded = result.Excluded.Select(e => e.Id).ToHashSet();
        var stillPending = changes.Where(c => c.AppliedRevision < c.Revision && (!result.IsLive || excluded.Contains(c.LoadBalancerId)))
            .Select(c => c.LoadBalancerId).ToHashSet();
        foreach (var id in _pendingSince.Keys.Where(id => !stillPending.Contains(id)).ToList())
        {
            _pendingSince.Remove(id);
        }
        _desiredRevision.Set(report.Desired);
        _appliedRevision.Set(report.Applied);
        foreach (var took in report.Converged)
        {
            _convergence.Observe(took.TotalSeconds);
        }
        Interlocked.Exchange(ref _oldestUnapplied, report.OldestUnapplied?.UtcTicks ?? 0);
        _lastApply.Set(now.ToUnixTimeMilliseconds() / 1000.0);
        Update();
    }

    private DateTimeOffset PendingSince(LoadBalancer lb)
    {
        if (lb.Status.AppliedRevision >= lb.Revision)
        {
            return lb.UpdatedAt;
        }
        if (!_pendingSince.TryGetValue(lb.Id, out var since))
        {
            since = lb.UpdatedAt;
            _pendingSince[lb.Id] = since;
        }
        return since;
    }

    /// <summary>An exception escaped an apply.</summary>
    public void RecordError() => _reconcileErrors.Inc();

    /// <summary>Runs before every collection of the registry.</summary>
    public void Update()
    {
        var oldest = Interlocked.Read(ref _oldestUnapplied);
        _lag.Set(oldest == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - oldest) / (double)TimeSpan.TicksPerSecond));
    }
}
