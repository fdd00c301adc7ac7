using System.Diagnostics;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A real HAProxy in master-worker mode, started the way deploy/local/up.sh starts it, with a
/// bootstrap configuration (no load balancers) in a private directory. The API under test drives
/// it through the settings from <see cref="Settings"/>. It can be killed and started again.
/// </summary>
public sealed class TestHaProxy : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lbaas-haproxy-").FullName;
    private Process? _process;

    private TestHaProxy(int statsPort) => StatsPort = statsPort;

    public int StatsPort { get; }

    public string ConfigPath => Path.Combine(_directory, "haproxy.cfg");

    public string MasterSocketPath => Path.Combine(_directory, "master.sock");

    public string AdminSocketPath => Path.Combine(_directory, "admin.sock");

    public string ServerStateFile => Path.Combine(_directory, "server-state");

    private string PidFile => Path.Combine(_directory, "haproxy.pid");

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

    private static string Binary => File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy"
        : throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; deploy/local/test.sh does this).");

    public static async Task<TestHaProxy> StartAsync()
    {
        var haproxy = new TestHaProxy(TestData.Port());
        var bootstrap = new ConfigModel
        {
            Global = new GlobalSettings { AdminSocketPath = haproxy.AdminSocketPath, ServerStateFile = haproxy.ServerStateFile, MaxConnections = 1000 },
            Stats = new StatsSettings { Port = haproxy.StatsPort },
        };
        await File.WriteAllTextAsync(haproxy.ConfigPath, new ConfigRenderer().Render(bootstrap));
        Watchdog.RunWhenThisProcessEnds($"kill $(cat '{haproxy.PidFile}'); sleep 1; rm -rf '{haproxy._directory}'");
        await haproxy.StartProcessAsync();
        return haproxy;
    }

    /// <summary>Starts the master again on the file the API last wrote (after <see cref="KillAsync"/>).</summary>
    public async Task StartProcessAsync()
    {
        File.Delete(MasterSocketPath);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        foreach (var arg in (string[])["-W", "-S", MasterSocketPath, "-f", ConfigPath, "-p", PidFile])
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited at start with {_process.ExitCode}: {await File.ReadAllTextAsync(ConfigPath)}");
            }
            try
            {
                if ((await Master.ShowProcAsync()).CurrentWorker is not null)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HaProxyUnavailableException or HaProxyConnectionLostException or IOException)
            {
                // Still starting.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("haproxy did not answer on its master socket within 15 s");
    }

    /// <summary>Kills master and workers at once, like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
