using System.Diagnostics;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// Reads haproxy.cfg over and over while a fault runs and keeps every distinct text it saw, so a
/// test can check that no reader (HAProxy restarting on it, a reload) could ever find the file
/// partial: each text must pass <c>haproxy -c</c>.
/// </summary>
public sealed class ConfigSampler : IAsyncDisposable
{
    private const int MaxTexts = 40;
    private readonly string _path;
    private readonly HashSet<string> _texts = [];
    private int _missing;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly Task _running;

    private ConfigSampler(string path)
    {
        _path = path;
        _running = Task.Run(SampleAsync);
    }

    public static ConfigSampler Start(string path) => new(path);

    /// <summary>Stops sampling and runs <c>haproxy -c</c> on each distinct text; returns the refusals.</summary>
    public async Task<IReadOnlyList<string>> RefusedAsync(string haproxyBinary)
    {
        await DisposeAsync();
        var refused = new List<string>();
        if (_missing > 0)
        {
            refused.Add($"the file was missing {_missing} time(s)");
        }
        var directory = Directory.CreateTempSubdirectory("lbaas-sample-").FullName;
        try
        {
            var i = 0;
            foreach (var text in _texts)
            {
                // Validated next to nothing else: paths the file names (sockets, state file) need not exist for -c.
                var file = Path.Combine(directory, $"sample-{i++}.cfg");
                await File.WriteAllTextAsync(file, text);
                var start = new ProcessStartInfo(haproxyBinary, ["-c", "-q", "-f", file]) { RedirectStandardError = true, RedirectStandardOutput = true };
                using var process = Process.Start(start)!;
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    refused.Add($"{error.Trim()}\n--- text ({text.Length} chars) ends with: {text[Math.Max(0, text.Length - 200)..]}");
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return refused;
    }

    /// <summary>Distinct texts seen.</summary>
    public int Count
    {
        get
        {
            lock (_texts)
            {
                return _texts.Count;
            }
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var text = await File.ReadAllTextAsync(_path);
                lock (_texts)
                {
                    if (_texts.Count < MaxTexts)
                    {
                        _texts.Add(text);
                    }
                }
            }
            catch (FileNotFoundException)
            {
                // A rename replaces the file in one step: there is never a moment without one.
                Interlocked.Increment(ref _missing);
            }
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }
}
