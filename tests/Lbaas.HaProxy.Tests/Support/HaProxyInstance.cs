using System.Diagnostics;
using System.Text;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Writing;

namespace Lbaas.HaProxy.Tests.Support;

/// <summary>
/// A real HAProxy in master-worker mode (<c>haproxy -W -S master.sock -f haproxy.cfg -p pid</c>),
/// configured by the library's own renderer and writer, in a private directory. Dispose kills the
/// master and every worker, old ones included, whether the test passed or not.
/// </summary>
internal sealed class HaProxyInstance : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly StringBuilder _log = new();
    private Process? _process;

    private HaProxyInstance()
    {
        Writer = new AtomicConfigWriter(_directory.File("haproxy.cfg"));
        Master = new MasterSocketClient(new MasterSocketOptions { SocketPath = MasterSocketPath });
        Runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = AdminSocketPath });
    }

    public string MasterSocketPath => _directory.File("master.sock");

    public string AdminSocketPath => _directory.File("admin.sock");

    public string ServerStatePath => _directory.File("server-state");

    public AtomicConfigWriter Writer { get; }

    public MasterSocketClient Master { get; }

    public RuntimeSocketClient Runtime { get; }

    public ConfigRenderer Renderer { get; } = new();

    /// <summary>What HAProxy printed, for failure messages.</summary>
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

    /// <summary>Global settings pointing into this instance's directory; stats off so no fixed port is taken.</summary>
    public GlobalSettings Global => new()
    {
        AdminSocketPath = AdminSocketPath,
        ServerStateFile = ServerStatePath,
        HardStopAfterMs = 5_000,
        MaxConnections = 1_000,
    };

    public ConfigModel Model(params LoadBalancerModel[] loadBalancers) => new()
    {
        Global = Global,
        Stats = new StatsSettings { Enabled = false },
        Defaults = new DefaultsSettings { ConnectTimeoutMs = 1_000, ClientTimeoutMs = 5_000, ServerTimeoutMs = 5_000 },
        LoadBalancers = loadBalancers,
    };

    public static async Task<HaProxyInstance> StartAsync(Func<HaProxyInstance, ConfigModel> model)
    {
        var binary = HaProxyBinary.Require();
        var instance = new HaProxyInstance();
        try
        {
            await instance.WriteAsync(model(instance));
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-W", "-S", instance.MasterSocketPath, "-f", instance.Writer.ConfigPath, "-p", instance._directory.File("haproxy.pid") })
            {
                start.ArgumentList.Add(argument);
            }
            instance._process = new Process { StartInfo = start };
            instance._process.OutputDataReceived += (_, e) => instance.Append(e.Data);
            instance._process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
            instance._process.Start();
            instance._process.BeginOutputReadLine();
            instance._process.BeginErrorReadLine();
            await instance.WaitReadyAsync();
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>Renders and atomically writes a new configuration (no validation, no reload).</summary>
    public Task WriteAsync(ConfigModel model) => Writer.WriteAsync(Renderer.Render(model));

    /// <summary>Writes, reloads through the master socket, and fails the test unless a new worker took over.</summary>
    public async Task<ReloadResult> ApplyAsync(ConfigModel model)
    {
        await WriteAsync(model);
        var result = await Master.ReloadAndConfirmAsync();
        Assert.True(result.Succeeded, $"{result.Failure}\n{Log}");
        await WaitReadyAsync();
        return result;
    }

    /// <summary>The master lists a worker and the worker's admin socket answers.</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process is { HasExited: true })
            {
                Assert.Fail($"haproxy exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                var processes = await Master.ShowProcAsync();
                if (processes.CurrentWorker is not null)
                {
                    await Runtime.ExecuteAsync("show info");
                    return;
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or FormatException)
            {
                last = e;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"haproxy did not become ready within 10 s ({last?.Message}):\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    // Asked politely, the master stops and reaps its workers (old ones included).
                    Signals.Terminate(_process.Id);
                    using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    try
                    {
                        await _process.WaitForExitAsync(graceful.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The master and its workers are one process tree: kill all of it.
                        _process.Kill(entireProcessTree: true);
                    }
                }
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                _process.Dispose();
            }
        }
        _directory.Dispose();
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
