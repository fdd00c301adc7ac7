using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// Requests through a load balancer, one after the other on new connections, for as long as a
/// test changes it (bounded: at most <see cref="MaxDuration"/>). Every answer is counted by body;
/// a failed request (connection refused or reset, 5xx) is kept with its reason.
/// </summary>
public sealed class TrafficLoop : IAsyncDisposable
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(120);

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _answers = [];
    private readonly List<string> _failures = [];
    private readonly Task _loop;

    private TrafficLoop(int port) => _loop = Task.Run(() => RunAsync(port));

    public static TrafficLoop Start(int port) => new(port);

    /// <summary>Stops the loop and returns what it saw.</summary>
    public async Task<(IReadOnlyDictionary<string, int> Answers, IReadOnlyList<string> Failures)> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return (_answers, _failures);
    }

    private async Task RunAsync(int port)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(5),
            DefaultRequestHeaders = { ConnectionClose = true },
        };
        var clock = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested && clock.Elapsed < MaxDuration)
        {
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    _answers[body] = _answers.GetValueOrDefault(body) + 1;
                }
                else
                {
                    _failures.Add($"HTTP {(int)response.StatusCode} at {clock.Elapsed.TotalSeconds:0.0}s");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _failures.Add($"{e.GetType().Name}: {e.Message} at {clock.Elapsed.TotalSeconds:0.0}s");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_loop.IsCompleted)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}
