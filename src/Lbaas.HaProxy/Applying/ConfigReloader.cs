using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Writing;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// The committing half of an apply, for text that has passed every check: save server state,
/// write atomically, reload and confirm a new worker; on any failure put back the file the
/// running worker loaded, so the file on disk always matches what runs.
/// </summary>
internal sealed class ConfigReloader(AtomicConfigWriter writer, MasterSocketClient master, RuntimeSocketClient runtime, string serverStateFile)
{
    public async Task<ApplyResult> WriteAndReloadAsync(LiveState live, IReadOnlyList<FrontendBind> newBinds, ApplyRun run, CancellationToken cancellationToken)
    {
        if (live.Processes.CurrentWorker is not null)
        {
            await SaveServerStateAsync(run, cancellationToken);
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
        return run.Finish(run.Success(ApplyOutcome.Reloaded), run.Describe($"Worker {reload.NewWorkerPid} serves the new configuration."), reloaded: true, workerPid: reload.NewWorkerPid);
    }

    private async Task SaveServerStateAsync(ApplyRun run, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.SaveServersStateAsync(serverStateFile, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or RuntimeCommandException or UnauthorizedAccessException)
        {
            // Weights, drains and health then restart from the file's values: worse, not wrong.
            run.Warnings.Add($"Server state was not saved before the reload ({e.Message}).");
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
