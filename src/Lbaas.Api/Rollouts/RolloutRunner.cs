using Lbaas.Api.Data;
using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// Advances every active rollout, one persisted step at a time, on the node that drives HAProxy
/// (it reads the health of new backends from <c>show stat</c>). It wakes when a rollout is started
/// or asked to roll back, looks again every <see cref="RolloutOptions.Poll"/> while one is under
/// way, and finds rollouts left by a restart or started on another replica within
/// <see cref="RolloutOptions.IdlePoll"/>. No exception leaves its loop: a failed step is logged
/// and taken again at the next pass.
/// </summary>
public sealed class RolloutRunner(
    IServiceScopeFactory scopes,
    RolloutSignal signal,
    RuntimeSocketClient runtime,
    IOptions<RolloutOptions> options,
    IOptions<ApplyOptions> apply,
    TimeProvider time,
    ILogger<RolloutRunner> logger) : BackgroundService
{
    /// <summary>Steps that need no waiting follow each other in one pass, up to this many per rollout.</summary>
    private const int MaxStepsPerPass = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!apply.Value.Enabled)
        {
            logger.LogInformation("Apply:Enabled is false: rollouts are advanced by the node that drives HAProxy");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Looking at rollouts failed; trying again");
                wait = options.Value.IdlePoll;
            }
            try
            {
                await signal.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // Taken before the pass reads the rollouts: a wake-up after that read is left for the next pass.
            signal.TryTake();
        }
    }

    /// <summary>Steps every active rollout as far as it goes now; returns how long to wait before the next pass.</summary>
    private async Task<TimeSpan> PassAsync(CancellationToken ct)
    {
        List<Active> active;
        await using (var scope = scopes.CreateAsyncScope())
        {
            active = await scope.ServiceProvider.GetRequiredService<LbaasDb>().Rollouts.AsNoTracking()
                .Where(r => r.State == RolloutState.InProgress || r.State == RolloutState.RollingBack)
                .OrderBy(r => r.Id)
                .Select(r => new Active(r.Id, r.Phase, r.NextStepAt))
                .ToListAsync(ct);
        }
        var wait = options.Value.IdlePoll;
        var now = time.GetUtcNow();
        var stats = new RolloutStats(runtime, logger);
        foreach (var rollout in active)
        {
            if (rollout.Phase == RolloutPhase.Pausing && rollout.NextStepAt > now)
            {
                wait = Min(wait, rollout.NextStepAt.Value - now);
                continue;
            }
            wait = Min(wait, options.Value.Poll);
            await AdvanceAsync(rollout.Id, stats, ct);
        }
        return wait;
    }

    private async Task AdvanceAsync(long id, RolloutStats stats, CancellationToken ct)
    {
        for (var step = 0; step < MaxStepsPerPass; step++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<RolloutStepper>().StepAsync(id, stats, ct))
                {
                    return;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                logger.LogDebug("Rollout {RolloutId} changed while a step was taken; taking it again", id);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "A step of rollout {RolloutId} failed; it is taken again at the next pass", id);
                return;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record Active(long Id, RolloutPhase Phase, DateTimeOffset? NextStepAt);
}
