using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Writing;

namespace Lbaas.Testing;

/// <summary>
/// A real HAProxy in master-worker mode (<c>haproxy -W -S master.sock -f haproxy.cfg -p haproxy.pid</c>)
/// in a private directory, configured by the library's own renderer and writer: the one way tests
/// start HAProxy, with <see cref="HaProxyBinary"/>. <c>supervised</c>, the master
/// runs under deploy/haproxy/supervise.sh, as deploy/local/up.sh starts it, which starts it again
/// whenever it dies. It can be killed and started again. Dispose stops the master (and its
/// supervisor) and every worker, old ones included, whether the test passed or not; a watchdog
/// does the same if the test process dies first.
/// </summary>
public sealed class TestHaProxy : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("lbaas-haproxy-");
    private readonly StringBuilder _log = new();
    private readonly bool _supervised;
    private Process? _process;

    private TestHaProxy(bool supervised)
    {
        _supervised = supervised;
        Writer = new AtomicConfigWriter(_directory.File("haproxy.cfg"));
        Master = new MasterSocketClient(new MasterSocketOptions { SocketPath = MasterSocketPath });
        Runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = AdminSocketPath });
    }

    public string ConfigPath => Writer.ConfigPath;

    public string MasterSocketPath => _directory.File("master.sock");

    public string AdminSocketPath => _directory.File("admin.sock");

    public string ServerStatePath => _directory.File("server-state");

    /// <summary>The file HAProxy was first started on, kept as the supervisor's last fallback.</summary>
    public string BootstrapPath => ConfigPath + ".bootstrap";

    private string PidFile => _directory.File("haproxy.pid");

    private string SupervisorPidFile => _directory.File("supervisor.pid");

    /// <summary>A free port for the stats frontend, for a model that turns it on (<see cref="Model"/> leaves it off).</summary>
    public int StatsPort { get; } = FreePort.Next();

    public AtomicConfigWriter Writer { get; }

    public MasterSocketClient Master { get; }

    public RuntimeSocketClient Runtime { get; }

    public ConfigRenderer Renderer { get; } = new();

    /// <summary>What HAProxy (and the supervisor) printed, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Global settings pointing into this instance's directory.</summary>
    public GlobalSettings Global => new()
    {
        AdminSocketPath = AdminSocketPath,
        ServerStateFile = ServerStatePath,
        HardStopAfterMs = 5_000,
        MaxConnections = 1_000,
    };

    /// <summary>A model for this instance: stats off so no fixed port is taken, short timeouts.</summary>
    public ConfigModel Model(params LoadBalancerModel[] loadBalancers) => new()
    {
        Global = Global,
        Stats = new StatsSettings { Enabled = false },
        Defaults = new DefaultsSettings { ConnectTimeoutMs = 1_000, ClientTimeoutMs = 5_000, ServerTimeoutMs = 5_000 },
        LoadBalancers = loadBalancers,
    };

    /// <param name="model">What HAProxy starts on; <see cref="Model"/> with no load balancers if not given.</param>
    /// <param name="supervised">Run the master under deploy/haproxy/supervise.sh, which restarts it when it dies.</param>
    public static async Task<TestHaProxy> StartAsync(Func<TestHaProxy, ConfigModel>? model = null, bool supervised = false)
    {
        HaProxyBinary.Require();
        var haproxy = new TestHaProxy(supervised);
        try
        {
            var text = haproxy.Renderer.Render(model?.Invoke(haproxy) ?? haproxy.Model());
            await File.WriteAllTextAsync(haproxy.BootstrapPath, text);
            await haproxy.Writer.WriteAsync(text);
            // The supervisor first (it would start the master again), then the master.
            Watchdog.RunWhenThisProcessEnds(
                $"kill $(cat '{haproxy.SupervisorPidFile}') 2>/dev/null; kill $(cat '{haproxy.PidFile}') 2>/dev/null; sleep 1; rm -rf '{haproxy._directory.Path}'");
            await haproxy.StartProcessAsync();
            return haproxy;
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the master (under its supervisor, if supervised) on the file on disk, again after <see cref="KillAsync"/>; returns once it serves.</summary>
    public async Task StartProcessAsync()
    {
        File.Delete(MasterSocketPath);
        File.Delete(PidFile);
        _process?.Dispose();
        _process = Process.Start(_supervised ? SupervisorStart() : MasterStart())!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (_supervised)
        {
            await File.WriteAllTextAsync(SupervisorPidFile, _process.Id.ToString(CultureInfo.InvariantCulture));
        }
        await WaitReadyAsync();
    }

    /// <summary>Writes, reloads through the master socket, and fails the test unless a new worker took over.</summary>
    public async Task<ReloadResult> ApplyAsync(ConfigModel model)
    {
        await Writer.WriteAsync(Renderer.Render(model));
        var result = await Master.ReloadAndConfirmAsync();
        Assert.True(result.Succeeded, $"{result.Failure}\n{Log}");
        await WaitReadyAsync();
        return result;
    }

    /// <summary>Waits until the master lists a worker and the worker's admin socket answers; fails the test if HAProxy exits first.</summary>
    public Task WaitReadyAsync() =>
        Eventually.Until(NotReadyAsync, reason => reason is null, "haproxy to answer on its master and admin sockets", TimeSpan.FromSeconds(15));

    /// <summary>Why HAProxy does not serve yet, or null once it does.</summary>
    private async Task<string?> NotReadyAsync()
    {
        if (_process is { HasExited: true })
        {
            Assert.Fail($"haproxy exited with {_process.ExitCode}:\n{Log}");
        }
        try
        {
            if ((await Master.ShowProcAsync()).CurrentWorker is null)
            {
                return "the master lists no worker";
            }
            await Runtime.ExecuteAsync("show info");
            return null;
        }
        catch (Exception e) when (e is HaProxyUnavailableException or HaProxyConnectionLostException or IOException or TimeoutException or FormatException)
        {
            return e.Message;
        }
    }

    /// <summary>The master's current worker, or null when the master does not answer or lists none.</summary>
    public async Task<HaProxyProcess?> CurrentWorkerAsync()
    {
        try
        {
            return (await Master.ShowProcAsync()).CurrentWorker;
        }
        catch (Exception e) when (e is HaProxyUnavailableException or HaProxyConnectionLostException or IOException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary><c>kill -9</c> of the current worker alone, like a crash of the worker; returns its pid.</summary>
    public async Task<int> KillWorkerAsync()
    {
        var worker = (await Master.ShowProcAsync()).CurrentWorker ?? throw new InvalidOperationException("no current worker to kill");
        Process.GetProcessById(worker.Pid).Kill();
        return worker.Pid;
    }

    /// <summary><c>kill -9</c> of the master alone (its supervisor, if any, lives on); returns its pid.</summary>
    public async Task<int> KillMasterAsync()
    {
        var master = (await Master.ShowProcAsync()).Master;
        Process.GetProcessById(master.Pid).Kill();
        return master.Pid;
    }

    /// <summary>Kills master and workers (and the supervisor) at once, like a crash of the whole host.</summary>
    public Task KillAsync() => _process.KillTreeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // Asked politely, the master stops and reaps its workers, old ones included.
            Signals.Terminate(_process.Id);
            using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(graceful.Token);
            }
            catch (OperationCanceledException)
            {
                // Still there: the master and its workers are one process tree.
            }
        }
        await KillAsync();
        _process?.Dispose();
        _directory.Dispose();
    }

    private ProcessStartInfo MasterStart() => Start(HaProxyBinary.Path, "-W", "-S", MasterSocketPath, "-f", ConfigPath, "-p", PidFile);

    private ProcessStartInfo SupervisorStart()
    {
        var start = Start(Path.Combine(Repository.Root, "deploy", "haproxy", "supervise.sh"),
            "--config", ConfigPath, "--master-socket", MasterSocketPath, "--pid-file", PidFile, "--bootstrap", BootstrapPath);
        start.Environment["HAPROXY_BINARY"] = HaProxyBinary.Path;
        return start;
    }

    private ProcessStartInfo Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory.Path };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
