using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Writing;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// The committing half of an apply, for text that has passed every check: save server state,
/// write atomically, reload and confirm a new worker; on any failure put back the file the
/// running worker loaded, so the file on disk always matches what runs.
/// </summary>
internal sealed class ConfigReloader(AtomicConfigWriter writer, MasterSocketClient master, RuntimeSocketClient runtime, string serverStateFile, Func<CancellationToken, Task<IAsyncDisposable?>>? beforeReload)
{
    private const string EmptyServerState = "1\n";

    /// <summary>Reloads into <c>run.Text</c>; <paramref name="running"/> is the model the current worker serves, null when unknown.</summary>
    public async Task<ApplyResult> WriteAndReloadAsync(LiveState live, IReadOnlyList<FrontendBind> newBinds, ApplyRun run, ConfigModel? running, CancellationToken cancellationToken)
    {
        await using var paused = live.Processes.CurrentWorker is not null ? await PauseAsync(run, cancellationToken) : null;
        if (live.Processes.CurrentWorker is not null)
        {
            await SaveServerStateAsync(run, running, cancellationToken);
        }
        try
        {
            await writer.WriteAsync(run.Text!, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return run.Finish(ApplyOutcome.ReloadFailed, $"Could not write {writer.ConfigPath} ({e.Message}); HAProxy was not reloaded.");
        }

        ReloadResult reload;
        run.ReloadAttempted = true;
        try
        {
            reload = await master.ReloadAndConfirmAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or FormatException)
        {
            var restored = await RestoreAsync(live);
            return run.Finish(ApplyOutcome.HaProxyUnavailable, $"HAProxy's master socket stopped answering during the reload ({e.Message}). {restored}");
        }
        catch (OperationCanceledException)
        {
            // Whether the reload happened is unknown; the old file makes the next apply reload again, which is safe.
            await RestoreAsync(live);
            throw;
        }

        if (!reload.Succeeded)
        {
            var restored = await RestoreAsync(live);
            return run.Finish(ApplyOutcome.ReloadFailed, $"{reload.Failure}{Diagnose(newBinds)} {restored}", workerPid: reload.After?.CurrentWorker?.Pid);
        }
        try
        {
            // Not cancellable: the reload happened, and the last-good copy must say so.
            await writer.MarkGoodAsync(CancellationToken.None);
        }
        catch (IOException e)
        {
            run.Warnings.Add($"Could not record the configuration as last good ({e.Message}); the next apply reloads once more.");
        }
        // HAProxy reads the state file while it parses the configuration, before it forks the new
        // worker, so it is spent once that worker shows. Left as it is, the next start of HAProxy
        // this applier does not make (a restart, a reboot) would read ports, states and weights
        // older than the file, which the runtime path keeps changing.
        await ClearServerStateAsync(run);
        return run.Finish(run.Success(ApplyOutcome.Reloaded), run.Describe($"Worker {reload.NewWorkerPid} serves the new configuration."), reloaded: true, workerPid: reload.NewWorkerPid);
    }

    private async Task<IAsyncDisposable?> PauseAsync(ApplyRun run, CancellationToken cancellationToken)
    {
        if (beforeReload is null)
        {
            return null;
        }
        try
        {
            return await beforeReload(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Warnings.Add($"Before-reload hook failed ({e.Message}); the reload goes on.");
            return null;
        }
    }

    /// <summary>
    /// Dumps the running worker's server state for the next one, reconciled with the new file
    /// (<see cref="ServerStateFile"/>): health carries over, nothing contradicts the file.
    /// </summary>
    private async Task SaveServerStateAsync(ApplyRun run, ConfigModel? running, CancellationToken cancellationToken)
    {
        try
        {
            var state = ServerStateFile.Reconcile(await runtime.ShowServersStateAsync(cancellationToken), run.Model!, running);
            await AtomicFile.WriteAllTextAsync(serverStateFile, state + "\n", cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or RuntimeCommandException or UnauthorizedAccessException or FormatException)
        {
            // Weights, drains and health then restart from the file's values: worse, not wrong.
            run.Warnings.Add($"Server state was not saved before the reload ({e.Message}).");
            await ClearServerStateAsync(run);
        }
    }

    /// <summary>
    /// Leaves a state file that holds no server ("1", the format version): HAProxy then starts
    /// every server from the configuration, without the warning a missing file gives.
    /// </summary>
    private async Task ClearServerStateAsync(ApplyRun run)
    {
        try
        {
            await AtomicFile.WriteAllTextAsync(serverStateFile, EmptyServerState, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            run.Warnings.Add($"The server state file could not be cleared ({e.Message}); the next start of HAProxy may read states older than its configuration.");
        }
    }

    /// <summary>
    /// HAProxy 2.6's master CLI cannot tell why a reload failed (its alerts go to the master's
    /// stderr). The usual cause the checks cannot rule out is a port taken between probe and reload.
    /// </summary>
    private static string Diagnose(IReadOnlyList<FrontendBind> newBinds)
    {
        var busy = FrontendBind.Unbindable(newBinds).Select(p => $"{p.Bind.Owner} {p.Bind.Endpoint}: {p.Error.Message}").ToList();
        return busy.Count == 0 ? "" : $" Ports that cannot be bound now: {string.Join("; ", busy)}.";
    }

    /// <summary>Puts back the file the running worker loaded; says what it did, for the result's message.</summary>
    private async Task<string> RestoreAsync(LiveState live)
    {
        try
        {
            if (await writer.RestoreLastGoodAsync(CancellationToken.None))
            {
                return "The last good configuration is back in place.";
            }
            if (live.Text is not null)
            {
                await writer.WriteAsync(live.Text, CancellationToken.None);
                return "The previous configuration is back in place.";
            }
            File.Delete(writer.ConfigPath);
            return "There was no previous configuration; the new file was removed.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Restoring the previous configuration failed too ({e.Message}).";
        }
    }
}
