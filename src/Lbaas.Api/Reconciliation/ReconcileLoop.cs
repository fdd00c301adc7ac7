using Lbaas.Api.LeastResponseTime;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// When the reconciler works, apart from what an apply does: it converges at start, wakes on a
/// request or at the next look (<see cref="ApplyOptions.Tick"/>, or <see cref="ApplyOptions.DrainPoll"/>
/// while backends drain), waits <see cref="ApplyOptions.Debounce"/> so a burst is one apply, and
/// sends queued weight changes after the apply, never during it. No exception leaves the loop.
/// <see cref="Reconciler"/> gives it the apply; unit tests give it fakes and fake time.
/// </summary>
/// <param name="coordinator">The queue it takes its work from.</param>
/// <param name="options">Debounce, tick and drain poll.</param>
/// <param name="time">The clock of every wait.</param>
/// <param name="apply">One apply, retries included; true while some backend still drains.</param>
/// <param name="sendWeights">Sends weight changes; never throws but for cancellation.</param>
/// <param name="failed">Records an apply that threw; the loop tries again a second later.</param>
public sealed class ReconcileLoop(
    ApplyCoordinator coordinator,
    ApplyOptions options,
    TimeProvider time,
    Func<CancellationToken, Task<bool>> apply,
    Func<IReadOnlyCollection<WeightChange>, CancellationToken, Task> sendWeights,
    Action<Exception> failed)
{
    /// <summary>How soon an apply that threw is tried again: writers are waiting, the tick is far.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private bool _drainsPending;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // Converge at start: a restart with nothing changed finds the file as rendered and does not reload.
        coordinator.RequestApply();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // No wake-up before the next look: HAProxy may answer again, a backend may have drained, a cause of ERROR may be gone.
                var woken = await coordinator.WakeUp.WaitAsync(NextLook(), time, stoppingToken);
                // Taken before the flag is read: an apply requested after this leaves a wake-up
                // behind. Taken after, it could swallow that request's wake-up and leave it to the tick.
                if (woken)
                {
                    coordinator.WakeUp.TryTake();
                }
                if (!woken || coordinator.ApplyRequested)
                {
                    await ApplyAsync(stoppingToken);
                }
                // After the apply, never during it: a weight asked for while a reload runs reaches the new worker.
                await sendWeights(coordinator.TakeWeights(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
                await Task.Delay(RetryAfterFailure, time, stoppingToken);
                coordinator.RequestApply();
            }
        }
    }

    /// <summary>
    /// Draining backends are looked at at their interval, the rest at the tick. A dead HAProxy is
    /// not polled here: <see cref="HaProxyWatch"/> wakes the loop when it answers again.
    /// </summary>
    private TimeSpan NextLook() => _drainsPending ? options.DrainPoll : options.Tick;

    /// <summary>One apply: requests arriving during the debounce are part of it; waiters hear of it however it ends.</summary>
    private async Task ApplyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Debounce, time, stoppingToken);
            coordinator.WakeUp.TryTake();
            coordinator.TakeApplyRequest();
            _drainsPending = await apply(stoppingToken);
        }
        finally
        {
            coordinator.Applied.Fire();
        }
    }
}
