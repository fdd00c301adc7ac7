using Lbaas.Api.Data;
using Lbaas.Api.LeastResponseTime;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Metrics;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// The one writer to HAProxy in this process. It wakes when a write asks for an apply (requests
/// arriving meanwhile coalesce into the next apply) or on the periodic tick, reads the whole
/// desired state, lets <see cref="ConfigApplier"/> make HAProxy serve it, and records the result
/// in the statuses. The least-response-time controller's weight changes come through the same
/// queue (<see cref="ApplyCoordinator"/>) and are sent after the apply, never into a reload. While HAProxy does not answer, <see cref="HaProxyWatch"/> polls it every
/// <see cref="ApplyOptions.WatchInterval"/> and wakes this loop the moment it answers (so does a
/// write), so the desired state is live as soon as HAProxy is back, with no backoff; PostgreSQL
/// blinking is retried with backoff. No exception leaves the loop.
/// </summary>
public sealed class Reconciler(
    IServiceScopeFactory scopes,
    ApplyCoordinator coordinator,
    ConfigApplier applier,
    RuntimeSocketClient runtime,
    WeightCommands weights,
    HaProxyProcesses processes,
    ApplyState state,
    ControlPlaneMetrics metrics,
    IOptions<HaProxyOptions> haproxy,
    IOptions<ApplyOptions> options,
    TimeProvider time,
    ILogger<Reconciler> logger) : BackgroundService
{
    /// <summary>Some backend still drains before removal: look again after <see cref="ApplyOptions.DrainPoll"/>, not the tick.</summary>
    private bool _drainsPending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Apply:Enabled is false: this process does not drive HAProxy");
            return;
        }
        var retry = RetryPipeline();
        var loop = new ReconcileLoop(coordinator, options.Value, time,
            async ct =>
            {
                await retry.ExecuteAsync(ApplyOnceAsync, ct);
                return _drainsPending;
            },
            weights.SendAsync,
            e =>
            {
                logger.LogError(e, "Apply failed unexpectedly; HAProxy keeps its last good configuration");
                state.RecordFailure(e.Message, time.GetUtcNow());
                metrics.RecordError();
            });
        await loop.RunAsync(stoppingToken);
    }

    private async ValueTask<ApplyResult> ApplyOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LbaasDb>();
        var snapshot = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).AsSplitQuery().ToListAsync(ct);
        var live = snapshot.Where(l => l.Status.ProvisioningStatus != ProvisioningStatus.PendingDelete).ToList();
        var removed = await DueRemovalsAsync(live, ct);
        var result = await StillUnreachableAsync(ct)
            ?? await applier.ApplyAsync(ConfigModelMapper.From(live, haproxy.Value, DescriptorLimit.Current, removed), ct);
        // Counted before anything else can fail: a reload that happened is a reload.
        metrics.Record(result, snapshot);
        await StatusRecorder.RecordAsync(db, snapshot, result, time.GetUtcNow(), ct);
        if (result.IsLive && removed.Count > 0)
        {
            await DeleteRemovedAsync(db, live, removed, result, ct);
        }
        _drainsPending = FinishedDrains.Pending(live, removed);
        var wasUnreachable = state.HaProxyUnreachable;
        state.Record(result, snapshot.Count == 0 ? 0 : snapshot.Max(l => l.Revision), time.GetUtcNow());
        if (wasUnreachable is not null && state.HaProxyUnreachable is null)
        {
            logger.LogInformation("HAProxy answers again after {DownMs} ms unreachable; apply {Outcome}",
                (long)(time.GetUtcNow() - wasUnreachable.Since).TotalMilliseconds, result.Outcome);
        }
        Log(result, repeated: wasUnreachable is not null && state.HaProxyUnreachable is not null);
        return result;
    }

    /// <summary>
    /// While HAProxy is known to be unreachable, one brief <c>show proc</c> says whether it is back,
    /// instead of an apply that rides out seconds of connection retries: a write during an outage
    /// costs one brief read. Null when it answers (or was not known down).
    /// </summary>
    private async Task<ApplyResult?> StillUnreachableAsync(CancellationToken ct)
    {
        if (state.HaProxyUnreachable is null || await processes.ReadAsync(ct) is not (null, var error))
        {
            return null;
        }
        return new ApplyResult
        {
            Outcome = ApplyOutcome.HaProxyUnavailable,
            Message = processes.NotAnswering(error),
        };
    }

    /// <summary>Backends being removed that can leave HAProxy now; reads <c>show stat</c> only while some are being removed.</summary>
    private async Task<IReadOnlySet<long>> DueRemovalsAsync(List<LoadBalancer> live, CancellationToken ct)
    {
        if (!live.Any(lb => lb.Backends.Any(b => b.RemoveBy is not null)))
        {
            return new HashSet<long>();
        }
        IReadOnlyList<StatRow>? stats = null;
        try
        {
            stats = await runtime.ShowStatAsync(ct);
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            logger.LogDebug("Sessions of draining backends unknown ({Reason}); only their deadlines count", e.Message);
        }
        return FinishedDrains.Due(live, stats, time.GetUtcNow());
    }

    /// <summary>
    /// The removed backends are out of HAProxy: delete their rows, unless one was taken back
    /// meanwhile (its remove_by is cleared; the next apply adds it again).
    /// </summary>
    private static async Task DeleteRemovedAsync(LbaasDb db, List<LoadBalancer> live, IReadOnlySet<long> removed, ApplyResult result, CancellationToken ct)
    {
        var excluded = result.Excluded.Select(e => e.Id).ToHashSet();
        var ids = live.Where(lb => !excluded.Contains(lb.Id))
            .SelectMany(lb => lb.Backends).Where(b => removed.Contains(b.Id)).Select(b => b.Id).ToList();
        await db.Backends.Where(b => ids.Contains(b.Id) && b.RemoveBy != null).ExecuteDeleteAsync(ct);
    }

    /// <param name="result">The apply.</param>
    /// <param name="repeated">HAProxy was already unreachable: said once, not every poll.</param>
    private void Log(ApplyResult result, bool repeated)
    {
        if (repeated)
        {
            logger.LogDebug("HAProxy still unreachable: {Reason}", result.Message);
            return;
        }
        if (result.Outcome == ApplyOutcome.Unchanged)
        {
            logger.LogDebug("HAProxy already serves the desired state");
        }
        else if (result.IsLive)
        {
            logger.LogInformation("Applied desired state: {Outcome} by {Path} in {DurationMs} ms, worker {WorkerPid}, {Excluded} load balancer(s) left out",
                result.Outcome, result.Path, (long)result.Duration.TotalMilliseconds, result.WorkerPid, result.Excluded.Count);
        }
        else
        {
            logger.LogWarning("Apply {Outcome}: {Reason}", result.Outcome, result.Message);
        }
        // haproxy -c repeats what it reads from the server-state file (servers DOWN...): detail, not news.
        foreach (var warning in result.Warnings)
        {
            logger.Log(warning.StartsWith("[WARNING]", StringComparison.Ordinal) ? LogLevel.Debug : LogLevel.Warning, "Apply warning: {Warning}", warning);
        }
    }

    /// <summary>
    /// PostgreSQL blinking: retry with exponential backoff, telling waiters after each try.
    /// HAProxy being unreachable is not retried here but on <see cref="HaProxyWatch"/>'s wake-up: a
    /// backoff would keep the load balancers down for up to its delay after HAProxy is back.
    /// </summary>
    private ResiliencePipeline<ApplyResult> RetryPipeline() => new ResiliencePipelineBuilder<ApplyResult> { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions<ApplyResult>
        {
            ShouldHandle = new PredicateBuilder<ApplyResult>()
                .Handle<NpgsqlException>(e => e.IsTransient)
                .Handle<TimeoutException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(30),
            UseJitter = true,
            OnRetry = args =>
            {
                coordinator.Applied.Fire();
                // Runs before the backoff delay; a write arriving during the delay leaves a request
                // behind and costs one extra apply, never a missed one.
                coordinator.WakeUp.TryTake();
                coordinator.TakeApplyRequest();
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
