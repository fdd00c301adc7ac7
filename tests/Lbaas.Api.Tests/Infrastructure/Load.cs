using System.Collections.Concurrent;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A small bounded load through HAProxy: a few clients sending requests until told to stop, a
/// request cap is reached or <see cref="MaxDuration"/> passes, counting every answer by body and
/// every failure (connection refused or reset, non-2xx) with its reason.
/// </summary>
public sealed class Load : IAsyncDisposable
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(120);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentBag<string> _failures = [];
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private int _sent;

    private Load(int port, int clients, bool keepAlive, int maxRequests, TimeSpan pause)
    {
        _stop.CancelAfter(MaxDuration);
        _running = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => ClientAsync(port, keepAlive, maxRequests, pause))));
    }

    /// <summary>Requests sent so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    public IReadOnlyCollection<string> Failures => _failures;

    public IReadOnlyDictionary<string, int> Answers => _answers;

    /// <param name="port">The frontend port on 127.0.0.1.</param>
    /// <param name="clients">Concurrent clients.</param>
    /// <param name="keepAlive">One pooled connection per client, or a new connection per request.</param>
    /// <param name="maxRequests">Bound on the whole run.</param>
    /// <param name="pause">Pause between two requests of one client; zero sends them back to back.</param>
    public static Load Start(int port, int clients, bool keepAlive, int maxRequests = 20_000, TimeSpan pause = default) =>
        new(port, clients, keepAlive, maxRequests, pause);

    /// <summary>Stops the clients and waits for their last requests.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task ClientAsync(int port, bool keepAlive, int maxRequests, TimeSpan pause)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        client.DefaultRequestHeaders.ConnectionClose = !keepAlive;
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _sent) <= maxRequests)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    _answers.AddOrUpdate(body, 1, (_, n) => n + 1);
                }
                else
                {
                    _failures.Add($"HTTP {(int)response.StatusCode}: {body.Trim()}");
                }
            }
            catch (Exception e) when (Traffic.NotServing(e) || e is TaskCanceledException)
            {
                _failures.Add(e.GetBaseException().Message);
            }
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, CancellationToken.None);
            }
        }
    }
}
