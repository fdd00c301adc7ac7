using System.Diagnostics;
using System.Globalization;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// The API as a process of its own, serving on a loopback port the way up.sh runs it, so a test
/// can kill it with SIGKILL in the middle of its work and start it again on the same database
/// and HAProxy.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    private ApiServer(string connectionString, TestHaProxy haproxy, int port)
    {
        var (first, last) = TestData.PortBlock();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["ConnectionStrings__Lbaas"] = connectionString,
            ["LoadBalancers__PortRangeStart"] = first.ToString(CultureInfo.InvariantCulture),
            ["LoadBalancers__PortRangeEnd"] = last.ToString(CultureInfo.InvariantCulture),
            ["Apply__Tick"] = "00:00:02",
            ["Monitoring__ScrapeInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in haproxy.ApiSettings())
        {
            _environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
    }

    public Uri BaseAddress { get; }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<ApiServer> StartAsync(string connectionString, TestHaProxy haproxy)
    {
        var server = new ApiServer(connectionString, haproxy, FreePort.Next());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts the process (again) and waits, bounded, until it is ready.</summary>
    public async Task StartProcessAsync()
    {
        var dll = ApiProcess.ApiDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Watchdog.RunWhenThisProcessEnds($"kill -9 {_process.Id}");
        using var client = CreateClient();
        await Eventually.Until(() => ReadyAsync(client), ready => ready, "the API to be ready", TimeSpan.FromSeconds(60));
    }

    private async Task<bool> ReadyAsync(HttpClient client)
    {
        if (_process!.HasExited)
        {
            throw new InvalidOperationException($"The API exited at start with {_process.ExitCode}.");
        }
        try
        {
            return (await client.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown hook, no request finished, like a crash or the OOM killer.</summary>
    public Task KillAsync() => _process.KillTreeAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
