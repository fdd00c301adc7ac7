using System.Diagnostics;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A real HAProxy in master-worker mode, with a bootstrap configuration (no load balancers) in a
/// private directory. The API under test drives it through the settings from <see cref="Settings"/>.
/// It can be killed and started again; <c>supervised</c>, it runs under deploy/haproxy/supervise.sh
/// the way deploy/local/up.sh starts it, which starts the master again whenever it dies.
/// </summary>
public sealed class TestHaProxy : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lbaas-haproxy-").FullName;
    private readonly bool _supervised;
    private Process? _process;

    private TestHaProxy(int statsPort, bool supervised) => (StatsPort, _supervised) = (statsPort, supervised);

    public int StatsPort { get; }

    public string ConfigPath => Path.Combine(_directory, "haproxy.cfg");

    public string MasterSocketPath => Path.Combine(_directory, "master.sock");

    public string AdminSocketPath => Path.Combine(_directory, "admin.sock");

    public string ServerStateFile => Path.Combine(_directory, "server-state");

    private string PidFile => Path.Combine(_directory, "haproxy.pid");

    private string BootstrapPath => Path.Combine(_directory, "haproxy.cfg.bootstrap");

    /// <summary>What the supervisor and HAProxy printed (supervised only), for failure messages.</summary>
    public string SupervisorLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private readonly System.Text.StringBuilder _log = new();

    /// <summary>Configuration keys pointing the API at this HAProxy.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["HaProxy:ConfigPath"] = ConfigPath,
        ["HaProxy:MasterSocketPath"] = MasterSocketPath,
        ["HaProxy:AdminSocketPath"] = AdminSocketPath,
        ["HaProxy:ServerStateFile"] = ServerStateFile,
        ["HaProxy:StatsPort"] = StatsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HaProxy:BinaryPath"] = Binary,
    };

    public MasterSocketClient Master => new(new MasterSocketOptions { SocketPath = MasterSocketPath });

    private static string Binary => Environment.GetEnvironmentVariable("LBAAS_HAPROXY_BINARY") is { Length: > 0 } binary ? binary
        : File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy"
        : throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; deploy/local/test.sh does this).");

    /// <param name="supervised">Run the master under deploy/haproxy/supervise.sh, which restarts it when it dies.</param>
    public static async Task<TestHaProxy> StartAsync(bool supervised = false)
    {
        var haproxy = new TestHaProxy(TestData.Port(), supervised);
        var bootstrap = new ConfigModel
        {
            Global = new GlobalSettings { AdminSocketPath = haproxy.AdminSocketPath, ServerStateFile = haproxy.ServerStateFile, MaxConnections = 1000 },
            Stats = new StatsSettings { Port = haproxy.StatsPort },
        };
        await File.WriteAllTextAsync(haproxy.BootstrapPath, new ConfigRenderer().Render(bootstrap));
        File.Copy(haproxy.BootstrapPath, haproxy.ConfigPath);
        // The supervisor first (it would start the master again), then the master.
        Watchdog.RunWhenThisProcessEnds($"kill $(cat '{haproxy.SupervisorPidFile}') 2>/dev/null; kill $(cat '{haproxy.PidFile}'); sleep 1; rm -rf '{haproxy._directory}'");
        await haproxy.StartProcessAsync();
        return haproxy;
    }

    private string SupervisorPidFile => Path.Combine(_directory, "supervisor.pid");

    /// <summary>Starts the master (under its supervisor, if supervised) again on the file the API last wrote (after <see cref="KillAsync"/>).</summary>
    public async Task StartProcessAsync()
    {
        File.Delete(MasterSocketPath);
        File.Delete(PidFile);
        _process = Process.Start(_supervised ? SupervisorStart() : MasterStart())!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (_supervised)
        {
            await File.WriteAllTextAsync(SupervisorPidFile, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited at start with {_process.ExitCode}: {await File.ReadAllTextAsync(ConfigPath)}\n{SupervisorLog}");
            }
            if (await CurrentWorkerAsync() is not null)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("haproxy did not answer on its master socket within 15 s");
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

    private ProcessStartInfo MasterStart() => Start(Binary, "-W", "-S", MasterSocketPath, "-f", ConfigPath, "-p", PidFile);

    private ProcessStartInfo SupervisorStart()
    {
        var start = Start(Path.Combine(TestData.RepositoryRoot(), "deploy", "haproxy", "supervise.sh"),
            "--config", ConfigPath, "--master-socket", MasterSocketPath, "--pid-file", PidFile, "--bootstrap", BootstrapPath);
        start.Environment["HAPROXY_BINARY"] = Binary;
        return start;
    }

    private ProcessStartInfo Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
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

    /// <summary>Kills master and workers (and the supervisor) at once, like a crash of the whole host.</summary>
    public Task KillAsync() => _process.KillTreeAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
