using Polly;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The master CLI (the <c>-S</c> socket): <c>show proc</c> and <c>reload</c>. Every command
/// retries while the socket refuses connections, which it does during the master's re-exec;
/// <c>show proc</c> also retries when the master drops a connection it had just accepted.
/// </summary>
public sealed class MasterSocketClient
{
    // A lost "reload" is sent again at most this often before the reload counts as failed.
    private const int MaxReloadResends = 2;

    private readonly MasterSocketOptions _options;
    private readonly ResiliencePipeline _connectRetry;
    private readonly ResiliencePipeline _idempotentRetry;
    private readonly TimeProvider _time;

    public MasterSocketClient(MasterSocketOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.SocketPath);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _connectRetry = SocketRetry.Create(options.ConnectRetries, options.FirstRetryDelay, options.MaxRetryDelay, timeProvider, idempotent: false);
        _idempotentRetry = SocketRetry.Create(options.ConnectRetries, options.FirstRetryDelay, options.MaxRetryDelay, timeProvider, idempotent: true);
    }

    /// <summary>
    /// Sends one command and returns the master's whole answer. Retried only while the socket
    /// refuses connections: the command may not be harmless to repeat.
    /// </summary>
    public Task<string> SendAsync(string command, CancellationToken cancellationToken = default) =>
        SendAsync(command, _connectRetry, endOnReset: false, cancellationToken);

    public async Task<ProcessList> ShowProcAsync(CancellationToken cancellationToken = default) =>
        ShowProcParser.Parse(await SendAsync("show proc", _idempotentRetry, endOnReset: false, cancellationToken));

    /// <summary>
    /// Asks the master to reload and returns once it has dropped the connection (it re-executes);
    /// HAProxy 2.6 prints nothing. Use <see cref="ReloadAndConfirmAsync"/> to know whether it worked.
    /// </summary>
    public Task ReloadAsync(CancellationToken cancellationToken = default) =>
        SendAsync("reload", _connectRetry, endOnReset: true, cancellationToken);

    /// <summary>
    /// Reloads, then polls <c>show proc</c> until a worker that was not there before is current
    /// (success), the master counts a new failed reload with the old worker still current
    /// (failure: the new configuration did not load), or <see cref="MasterSocketOptions.ReloadTimeout"/> passes.
    /// </summary>
    public async Task<ReloadResult> ReloadAndConfirmAsync(CancellationToken cancellationToken = default)
    {
        var before = await ShowProcAsync(cancellationToken);
        var known = before.Workers.Concat(before.OldWorkers).Select(w => w.Pid).ToHashSet();
        await ReloadAsync(cancellationToken);

        var started = _time.GetTimestamp();
        var resends = 0;
        ProcessList? after = null;
        while (_time.GetElapsedTime(started) < _options.ReloadTimeout)
        {
            after = await ShowProcAsync(cancellationToken);
            if (after.CurrentWorker is { } worker && !known.Contains(worker.Pid))
            {
                return new ReloadResult { Succeeded = true, Before = before, After = after };
            }
            if (after.Master.Reloads > before.Master.Reloads && after.FailedReloads > 0)
            {
                return new ReloadResult
                {
                    Succeeded = false,
                    Before = before,
                    After = after,
                    Failure = $"HAProxy could not load the new configuration (failed reloads: {after.FailedReloads}); worker {after.CurrentWorker?.Pid} keeps serving the previous one.",
                };
            }
            if (after.Master.Reloads == before.Master.Reloads && resends < MaxReloadResends)
            {
                // The master re-executes the moment it reads "reload", so any later answer comes
                // from the new image with a higher count. The same count means the connection was
                // dropped before the command was read (the master's start-up window): send it again.
                resends++;
                await ReloadAsync(cancellationToken);
                continue;
            }
            await Task.Delay(_options.ReloadPollInterval, _time, cancellationToken);
        }
        return new ReloadResult
        {
            Succeeded = false,
            Before = before,
            After = after,
            Failure = $"No new worker within {_options.ReloadTimeout.TotalSeconds:0.###} s of the reload.",
        };
    }

    private async Task<string> SendAsync(string command, ResiliencePipeline pipeline, bool endOnReset, CancellationToken cancellationToken)
    {
        CommandLine.ThrowIfUnsafe(command);
        return await pipeline.ExecuteAsync(
            async token => await UnixSocketExchange.SendAsync(_options.SocketPath, command, _options.CommandTimeout, _time, endOnReset, token),
            cancellationToken);
    }
}
