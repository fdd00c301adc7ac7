using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Lbaas.Benchmarks;

/// <summary>
/// A bounded load through one frontend: <c>clients</c> tasks, each sending GET requests one
/// after the other (closed loop), until <see cref="Stop"/> is called, the request cap or the time
/// cap is reached, whichever comes first. Keep-alive mode shares one pooled HttpClient (at most
/// one connection per client task); the other mode sends <c>Connection: close</c>, so every
/// request opens a new connection. A request fails on a connection error, a timeout (10 s) or a
/// non-2xx status; requests in flight when the load stops are allowed to finish.
/// Note: like browsers, .NET's HttpClient re-sends a request by itself when a pooled keep-alive
/// connection turns out to be closed before any byte of the answer came back; such a request
/// is not counted as failed (that is what a real keep-alive client experiences).
/// </summary>
internal sealed class LoadGenerator(int port, bool keepAlive, int clients, long maxRequests, TimeSpan maxDuration)
{
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _samples = new();
    private readonly Latencies _latencies = new();
    private long _issued;
    private long _succeeded;
    private long _failed;
    private volatile bool _stopping;
    private volatile string _phase = "";
    private long _started;

    public TimeSpan Wall { get; private set; }

    /// <summary>Why the load ended: "stopped" (the scenario was done), "request cap" or "time cap".</summary>
    public string EndedBy { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _succeeded) + Interlocked.Read(ref _failed);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Labels failures with what the scenario was doing at the time.</summary>
    public void SetPhase(string value) => _phase = value;

    public void Stop() => _stopping = true;

    public bool Running => !_stopping && EndedBy.Length == 0;

    public async Task RunAsync(CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = keepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            MaxConnectionsPerServer = clients,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.ConnectionClose = !keepAlive;
        var uri = new Uri($"http://127.0.0.1:{port}/");
        _started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(() => WorkerAsync(client, uri, ct), CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        Wall = Stopwatch.GetElapsedTime(_started);
        if (EndedBy.Length == 0)
        {
            EndedBy = ct.IsCancellationRequested ? "cancelled" : "stopped";
        }
    }

    private async Task WorkerAsync(HttpClient client, Uri uri, CancellationToken ct)
    {
        while (!_stopping && !ct.IsCancellationRequested)
        {
            if (Stopwatch.GetElapsedTime(_started) >= maxDuration)
            {
                EndedBy = "time cap";
                return;
            }
            if (Interlocked.Increment(ref _issued) > maxRequests)
            {
                EndedBy = "request cap";
                return;
            }
            var t0 = Stopwatch.GetTimestamp();
            string? failure = null;
            try
            {
                // No cancellation token: a request in flight is never cut short by the benchmark itself.
                using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    failure = "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException e)
            {
                failure = "connection error (" + (e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString()) + ")";
            }
            catch (TaskCanceledException)
            {
                failure = "timeout";
            }
            _latencies.Add(Stopwatch.GetElapsedTime(t0));
            if (failure is null)
            {
                Interlocked.Increment(ref _succeeded);
            }
            else
            {
                Interlocked.Increment(ref _failed);
                _failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                if (_samples.Count < 20)
                {
                    _samples.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(_started).TotalSeconds:F3}s {failure} during {_phase}"));
                }
            }
        }
    }

    public string FailureBreakdown => _failures.IsEmpty ? "none" : string.Join(", ", _failures.OrderByDescending(f => f.Value).Select(f => $"{f.Value} {f.Key}"));

    public IEnumerable<string> FailureSamples => _samples;

    public double Rate => Requests / Wall.TotalSeconds;

    public Latencies Latencies => _latencies;

    public static string Mode(bool keepAlive) => keepAlive ? "keep-alive" : "new connection per request";
}
