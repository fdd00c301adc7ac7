using Lbaas.HaProxy.Sockets;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// Notices cheaply that HAProxy changed under the reconciler: reads the master's <c>show proc</c>
/// every <see cref="ApplyOptions.WatchInterval"/> and asks for an apply when the master is another
/// process than last time (a restart), lists no worker, or answers again after being
/// unreachable: the one poller of a dead HAProxy, so recovery waits at most one
/// interval. The reconciler does the rest: with a master and no worker its apply reloads (a
/// new worker), a new master is brought to the desired state (the applier forgets what the old
/// worker served). A new worker under the same master is a reload, the reconciler's own: no
/// apply for that. Two reads in a row without an answer, outside a reload (the master refuses
/// connections while it re-executes: <see cref="ApplyState.Reloading"/>), mark HAProxy
/// unreachable in <see cref="ApplyState"/> at once, and writes waiting for it answer 202.
/// </summary>
public sealed class HaProxyWatch(HaProxyProcesses processes, ApplyCoordinator coordinator, ApplyState state, IOptions<ApplyOptions> options, TimeProvider time, ILogger<HaProxyWatch> logger) : BackgroundService
{
    private const int SilentReadsForUnreachable = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.WatchInterval, time);
        int? lastMaster = null;
        var silent = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var (list, error) = await ReadAsync(stoppingToken);
                if (list is null)
                {
                    // The master re-executes through a reload and refuses connections meanwhile: not an outage.
                    if (state.Reloading)
                    {
                        continue;
                    }
                    if (++silent == SilentReadsForUnreachable)
                    {
                        logger.LogWarning("HAProxy's master socket does not answer ({Reason}): writes answer 202 until it does", error);
                    }
                    // Marked again on every silent read: an apply that ended otherwise meanwhile (a reload refused as HAProxy died) cleared it.
                    if (silent >= SilentReadsForUnreachable && state.HaProxyUnreachable is null)
                    {
                        state.MarkUnreachable(processes.NotAnswering(error), time.GetUtcNow());
                        // Writes already waiting look again and answer 202 now, instead of after the apply under way gives up on its sockets.
                        coordinator.Applied.Fire();
                    }
                    continue;
                }
                var newMaster = lastMaster is not null && list.Master.Pid != lastMaster;
                // Known down (by this watch or by an apply that failed on its sockets) and answering now: the
                // reconciler waits for this wake-up rather than polling a dead HAProxy itself.
                if (newMaster || list.CurrentWorker is null || silent >= SilentReadsForUnreachable || state.HaProxyUnreachable is not null)
                {
                    logger.LogInformation("HAProxy answers: master {Master} ({MasterState}), worker {Worker}; asking for an apply",
                        list.Master.Pid, newMaster ? "new" : "the same", list.CurrentWorker?.Pid);
                    coordinator.RequestApply();
                }
                (lastMaster, silent) = (list.Master.Pid, 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary><c>show proc</c>, or null when the master does not answer; nothing escapes the loop.</summary>
    private async Task<(ProcessList? List, string? Error)> ReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await processes.ReadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "show proc failed");
            return (null, e.Message);
        }
    }
}
