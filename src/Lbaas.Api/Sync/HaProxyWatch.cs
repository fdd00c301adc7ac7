using Lbaas.HaProxy.Sockets;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Sync;

/// <summary>
/// Notices cheaply that HAProxy changed under the reconciler: reads the master's <c>show proc</c>
/// every <see cref="ApplyOptions.WatchInterval"/> and asks for an apply whenever the master or the
/// current worker is another process than last time, or there is none. The reconciler does the
/// rest: with a master and no worker its apply reloads (a new worker), a new master is brought
/// to the desired state (the applier forgets what the old worker served). Its own reloads wake
/// it once more, which finds the state unchanged. Two reads in a row without an answer mark
/// HAProxy unreachable in <see cref="ApplyState"/> at once, so writes stop waiting for it; one
/// is not enough, since the master refuses connections for tens of milliseconds on every reload.
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
        (int Master, int? Worker)? last = null;
        var seen = false;
        var silent = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var (list, error) = await ReadAsync(stoppingToken);
                silent = list is null ? silent + 1 : 0;
                if (silent == SilentReadsForUnreachable)
                {
                    state.MarkUnreachable($"HAProxy's master socket does not answer ({error}); nothing was written.", time.GetUtcNow());
                }
                (int, int?)? now = list is null ? null : (list.Master.Pid, list.CurrentWorker?.Pid);
                if (seen && now != last)
                {
                    logger.LogInformation("HAProxy changed: master {Master}, worker {Worker} (was master {OldMaster}, worker {OldWorker}); asking for an apply",
                        now?.Item1, now?.Item2, last?.Master, last?.Worker);
                    coordinator.RequestApply();
                }
                else if (list is not null && list.CurrentWorker is null)
                {
                    coordinator.RequestApply();
                }
                (last, seen) = (now, true);
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
