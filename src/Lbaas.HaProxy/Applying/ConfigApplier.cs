using System.Net.Sockets;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Validation;
using Lbaas.HaProxy.Writing;
using Scriban.Syntax;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// The HAProxy half of the reconciler: makes the running HAProxy serve a desired
/// <see cref="ConfigModel"/> — render, skip if already live, probe new ports, <c>haproxy -c</c>,
/// then, when only servers of existing pools changed, write atomically and send runtime API
/// commands on one connection (no reload, see <see cref="RuntimePlan"/>); otherwise, or when a
/// command fails, save server state, write atomically, reload through the master and confirm a
/// new worker — or says precisely why not while HAProxy keeps serving what it served before.
/// <para>
/// Contract for the caller (one apply at a time): load balancers in <see cref="ApplyResult.Excluded"/>
/// are not in HAProxy (ERROR, with the reason); when <see cref="ApplyResult.IsLive"/> every other
/// one is (ACTIVE). Invalid, PortsUnavailable and ReloadFailed changed nothing that runs (ERROR with
/// <see cref="ApplyResult.Message"/>); HaProxyUnavailable means try again later. The applier
/// excludes unbindable load balancers itself, so the caller never needs a second call, and a
/// retry of the same model on the next tick neither reloads nor forgets why they are left out.
/// </para>
/// <para>
/// Nothing is written while the master does not answer: a file HAProxy never loaded would then look
/// "unchanged" to the next apply and never go live. The file left on disk is always the one the
/// running worker loaded; a crash between write and reload is caught because "unchanged" also
/// requires the last-good copy, written only after a confirmed reload, to hold the same text.
/// </para>
/// </summary>
public sealed class ConfigApplier
{
    private readonly ConfigApplierOptions _options;
    private readonly AtomicConfigWriter _writer;
    private readonly HaProxyValidator _validator;
    private readonly MasterSocketClient _master;
    private readonly ConfigReloader _reloader;
    private readonly RuntimeSocketClient _runtime;
    private readonly TimeProvider _time;
    private int _applying;

    /// <summary>
    /// The model the running worker serves, the text it was rendered to and that worker's pid, as
    /// this applier last made it live; null after a start or a failure, which makes the next change
    /// reload once. Only trusted while that worker is the current one: a new worker (a restarted
    /// master, a worker replaced) loaded whatever file it found, so until an apply has found that
    /// file to be the desired text ("unchanged"), the next change reloads.
    /// </summary>
    private (ConfigModel Model, string Text, int WorkerPid)? _running;

    public ConfigApplier(ConfigApplierOptions options, TimeProvider? timeProvider = null)
        : this(options, new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = options?.TemplatesDirectory }), timeProvider)
    {
    }

    public ConfigApplier(ConfigApplierOptions options, ConfigRenderer renderer, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentException.ThrowIfNullOrEmpty(options.ConfigPath);
        ArgumentException.ThrowIfNullOrEmpty(options.MasterSocketPath);
        ArgumentException.ThrowIfNullOrEmpty(options.AdminSocketPath);
        ArgumentException.ThrowIfNullOrEmpty(options.ServerStateFile);
        ArgumentException.ThrowIfNullOrEmpty(options.BinaryPath);
        _options = options;
        Renderer = renderer;
        _time = timeProvider ?? TimeProvider.System;
        _writer = new AtomicConfigWriter(options.ConfigPath);
        _validator = new HaProxyValidator(new HaProxyValidatorOptions
        {
            BinaryPath = options.BinaryPath,
            Timeout = options.ValidationTimeout,
            // Checked beside the live file: same filesystem, same permissions.
            WorkDirectory = Path.GetDirectoryName(_writer.ConfigPath),
        }, _time);
        _master = new MasterSocketClient(
            new MasterSocketOptions
            {
                SocketPath = options.MasterSocketPath,
                ConnectRetries = options.MasterConnectRetries,
                ReloadTimeout = options.ReloadConfirmationTimeout,
            },
            timeProvider);
        _runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = options.AdminSocketPath }, timeProvider);
        _reloader = new ConfigReloader(_writer, _master, _runtime, options.ServerStateFile, options.BeforeReload);
    }

    public ConfigRenderer Renderer { get; }

    /// <summary>
    /// <c>shutdown sessions</c> only marks a server's last sessions for closing; they end on the
    /// worker's next turn, so a <c>del server</c> on the same line can find them still attached
    /// (measured: "Server still has connections attached to it"). Those deletes are sent again a
    /// few times, briefly; any other refusal, or a delete that keeps failing, throws.
    /// </summary>
    private async Task RetryDeletesAsync(List<RuntimeReply> failures, ApplyRun run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; failures.Count > 0; attempt++)
        {
            if (attempt > 20 || failures.Any(f => !IsStillAttached(f)))
            {
                throw new RuntimeCommandException(failures);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25), _time, cancellationToken);
            run.RuntimeCommands += failures.Count;
            failures = [.. (await _runtime.ExecuteAsync(failures.Select(f => f.Command), cancellationToken)).Where(r => r.IsError)];
        }
    }

    private static bool IsStillAttached(RuntimeReply reply) =>
        reply.Command.StartsWith("del server ", StringComparison.Ordinal) && reply.Text.Contains("still has connections", StringComparison.OrdinalIgnoreCase);

    /// <summary>The master answers <c>show proc</c> and lists a current worker; for readiness.</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (await _master.ShowProcAsync(cancellationToken)).CurrentWorker is not null;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            return false;
        }
    }

    /// <summary>Applies the desired model; throws only on cancellation or when its own files cannot be read.</summary>
    /// <exception cref="InvalidOperationException">Called while another apply runs.</exception>
    public async Task<ApplyResult> ApplyAsync(ConfigModel desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (Interlocked.Exchange(ref _applying, 1) == 1)
        {
            throw new InvalidOperationException("ApplyAsync is already running; the reconciler applies one model at a time.");
        }
        try
        {
            return await ApplyCoreAsync(desired, new ApplyRun(_time), cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _applying, 0);
        }
    }

    /// <summary>
    /// What <see cref="ApplyAsync"/> would check, for a dry run: the same rendering (a load
    /// balancer whose values are refused is left out, so it fails no other's check), the same
    /// probe of new ports and the same <c>haproxy -c</c>, and nothing written or sent. Safe to call
    /// while an apply runs. While the master does not answer, new ports are not probed (a warning
    /// says so): which ports the running worker holds is then unknown.
    /// </summary>
    public async Task<ConfigCheck> CheckAsync(ConfigModel desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var run = new ApplyRun(_time);
        if (Prepare(desired, run) is { } refused)
        {
            return new ConfigCheck(false, refused, run.Excluded, run.Warnings);
        }
        string? failure = null;
        try
        {
            var live = new LiveState(await _master.ShowProcAsync(cancellationToken), await _writer.ReadAsync(cancellationToken), await ReadLastGoodAsync(cancellationToken));
            failure = ExcludeUnbindableAndRender(live, run);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            run.Warnings.Add($"HAProxy's master socket does not answer ({e.Message}): new ports were not probed.");
        }
        failure ??= await ValidateAsync(run, cancellationToken);
        return new ConfigCheck(failure is null, failure, run.Excluded, run.Warnings);
    }

    private async Task<ApplyResult> ApplyCoreAsync(ConfigModel desired, ApplyRun run, CancellationToken cancellationToken)
    {
        if (Prepare(desired, run) is { } refused)
        {
            return run.Finish(ApplyOutcome.Invalid, refused);
        }

        ProcessList processes;
        try
        {
            processes = await _master.ShowProcAsync(cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            return run.Finish(ApplyOutcome.HaProxyUnavailable, $"HAProxy's master socket {_options.MasterSocketPath} does not answer ({e.Message}); nothing was written.");
        }
        var live = new LiveState(processes, await _writer.ReadAsync(cancellationToken), await ReadLastGoodAsync(cancellationToken));
        if (live.Serves(run.Text!))
        {
            _running = (run.Model!, run.Text!, live.Processes.CurrentWorker!.Pid);
            return run.Finish(run.Success(ApplyOutcome.Unchanged), run.Describe("HAProxy already runs this configuration."), workerPid: live.Processes.CurrentWorker?.Pid);
        }

        if (ExcludeUnbindableAndRender(live, run) is { } failure)
        {
            return run.Finish(run.Model is null ? ApplyOutcome.Invalid : ApplyOutcome.PortsUnavailable, failure);
        }
        if (live.Serves(run.Text!))
        {
            _running = (run.Model!, run.Text!, live.Processes.CurrentWorker!.Pid);
            return run.Finish(ApplyOutcome.PartiallyApplied, run.Describe("HAProxy already runs the rest."), workerPid: live.Processes.CurrentWorker?.Pid);
        }

        if (await ValidateAsync(run, cancellationToken) is { } invalid)
        {
            return run.Finish(ApplyOutcome.Invalid, invalid);
        }
        var known = _running is { } last && last.WorkerPid == live.Processes.CurrentWorker?.Pid ? (last.Model, last.Text) : ((ConfigModel Model, string Text)?)null;
        // Whatever happens next, what runs is only known again once it succeeded.
        _running = null;
        if (RuntimeCommandsFor(known, live, run) is { } commands
            && await TryRuntimeAsync(commands, live.Processes.CurrentWorker!.Pid, run, cancellationToken) is { } applied)
        {
            _running = (run.Model!, run.Text!, live.Processes.CurrentWorker.Pid);
            return applied;
        }
        // The model no longer holds the load balancers left out: its new binds are the ones still to bind.
        var stillNew = FrontendBind.New(run.Model!, live);
        var result = await _reloader.WriteAndReloadAsync(live, stillNew, run, known?.Model, cancellationToken);
        if (result is { IsLive: true, WorkerPid: { } worker })
        {
            _running = (run.Model!, run.Text!, worker);
        }
        return result;
    }

    /// <summary>
    /// The runtime commands that make the running worker serve <paramref name="run"/>'s model;
    /// null when a reload is needed: the running model is unknown, the file on disk is not the one
    /// it was rendered to, something is left out, anything but servers changed, or a server added
    /// would not get the line the template renders for it.
    /// </summary>
    private static IReadOnlyList<string>? RuntimeCommandsFor((ConfigModel Model, string Text)? known, LiveState live, ApplyRun run) =>
        known is { } current
        && run.Excluded.Count == 0
        && live.Processes.CurrentWorker is not null
        && string.Equals(live.Text, current.Text, StringComparison.Ordinal)
        && string.Equals(live.LastGood, current.Text, StringComparison.Ordinal)
        && RuntimePlan.For(current.Model, run.Model!) is { Count: > 0 } commands
        && ServerLines.Agree(commands, run.Text!)
            ? commands
            : null;

    /// <summary>
    /// Writes the file first (it is the truth a reload falls back to), then sends every command on
    /// one connection and checks every reply. Null when a command failed or the connection was
    /// lost: the caller reloads the file, which is then already in place.
    /// </summary>
    private async Task<ApplyResult?> TryRuntimeAsync(IReadOnlyList<string> commands, int workerPid, ApplyRun run, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(run.Text!, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return run.Finish(ApplyOutcome.ReloadFailed, $"Could not write {_writer.ConfigPath} ({e.Message}); nothing was changed in HAProxy.");
        }
        run.RuntimeCommands = commands.Count;
        try
        {
            var failures = (await _runtime.ExecuteAsync(commands, cancellationToken)).Where(r => r.IsError).ToList();
            await RetryDeletesAsync(failures, run, cancellationToken);
        }
        catch (Exception e) when (e is RuntimeCommandException or HaProxyConnectionLostException or IOException or TimeoutException)
        {
            run.Warnings.Add($"The runtime API refused the change ({e.Message}); reloading instead.");
            return null;
        }
        try
        {
            await _writer.MarkGoodAsync(CancellationToken.None);
        }
        catch (IOException e)
        {
            run.Warnings.Add($"Could not record the configuration as last good ({e.Message}); the next apply reloads once more.");
        }
        return run.Finish(ApplyOutcome.RuntimeApplied, $"{commands.Count} runtime command(s) on one connection; worker {workerPid} serves the change without a reload.", workerPid: workerPid);
    }

    /// <summary>Renders into <paramref name="run"/>; returns why not when a refusal names no load balancer (or a template fails).</summary>
    /// <summary>The first steps of an apply and of a check: the paths, then rendering with exclusions; the reason when it cannot go on.</summary>
    private string? Prepare(ConfigModel desired, ApplyRun run) => PathMismatch(desired) ?? Render(desired, run);

    /// <summary>
    /// Leaves out the load balancers whose new port cannot be bound and renders again without
    /// them; the reason when it cannot go on (then <see cref="ApplyRun.Model"/> is null when the
    /// rendering failed, set when the stats frontend's port is taken).
    /// </summary>
    private string? ExcludeUnbindableAndRender(LiveState live, ApplyRun run)
    {
        var excludedBefore = run.Excluded.Count;
        if (ExcludeUnbindable(FrontendBind.New(run.Model!, live), run) is { } statsFailure)
        {
            return statsFailure;
        }
        if (run.Excluded.Count > excludedBefore && Render(ExcludingRenderer.Without(run.Model!, [.. run.Excluded.Select(e => e.Id)]), run) is { } failure)
        {
            run.Model = null;
            return failure;
        }
        return null;
    }

    /// <summary><c>haproxy -c</c> on the rendered text; HAProxy's alerts when it refuses it, else null.</summary>
    private async Task<string?> ValidateAsync(ApplyRun run, CancellationToken cancellationToken)
    {
        var validation = await _validator.ValidateTextAsync(run.Text!, cancellationToken);
        run.Warnings.AddRange(validation.Warnings);
        return validation.IsValid ? null : validation.Message.Length > 0 ? validation.Message : validation.Output;
    }

    private string? Render(ConfigModel model, ApplyRun run)
    {
        try
        {
            (run.Model, run.Text) = ExcludingRenderer.Render(Renderer, model, run.Excluded);
            return null;
        }
        catch (Exception e) when (e is ConfigValueException or ScriptRuntimeException or InvalidOperationException)
        {
            return $"The configuration cannot be rendered: {e.Message}";
        }
    }

    /// <summary>Excludes load balancers whose new port cannot be bound; returns the reason when the stats frontend's cannot.</summary>
    private static string? ExcludeUnbindable(IEnumerable<FrontendBind> newBinds, ApplyRun run)
    {
        foreach (var (bind, error) in FrontendBind.Unbindable(newBinds))
        {
            var reason = $"{bind.Endpoint} cannot be bound: {error.Message} ({error.SocketErrorCode}).";
            if (error.SocketErrorCode == SocketError.AccessDenied)
            {
                // HAProxy may hold a privilege (CAP_NET_BIND_SERVICE, root) this process lacks.
                run.Warnings.Add($"{bind.Owner} {reason} Left to HAProxy, which may be allowed to bind it.");
            }
            else if (bind.LoadBalancerId is { } id)
            {
                run.Excluded.Add(new ExcludedLoadBalancer(id, reason));
            }
            else
            {
                return $"The stats frontend's {reason} Nothing was written.";
            }
        }
        return null;
    }

    private async Task<string?> ReadLastGoodAsync(CancellationToken cancellationToken) =>
        File.Exists(_writer.LastGoodPath) ? await File.ReadAllTextAsync(_writer.LastGoodPath, cancellationToken) : null;

    /// <summary>The model must point HAProxy at the sockets and files this applier uses, or state and reloads go astray.</summary>
    private string? PathMismatch(ConfigModel desired)
    {
        if (!string.Equals(desired.Global.ServerStateFile, _options.ServerStateFile, StringComparison.Ordinal))
        {
            return $"global.server_state_file is {desired.Global.ServerStateFile}, but server state is saved to {_options.ServerStateFile}.";
        }
        return string.Equals(desired.Global.AdminSocketPath, _options.AdminSocketPath, StringComparison.Ordinal)
            ? null
            : $"global.admin_socket_path is {desired.Global.AdminSocketPath}, but the applier uses {_options.AdminSocketPath}.";
    }

    private static bool IsUnavailable(Exception e) => e is IOException or TimeoutException or FormatException;
}
