using System.Diagnostics;
using System.Net;

namespace Lbaas.Benchmarks;

/// <summary>What one request through a load balancer's frontend got.</summary>
/// <param name="Identity">The answering backend (<c>b-&lt;port&gt;</c>) for a 2xx; null otherwise.</param>
/// <param name="Status">The HTTP status, or null when no answer came (refused, reset, timed out).</param>
internal readonly record struct ProbeAnswer(string? Identity, int? Status, string? Error)
{
    public override string ToString() => Identity ?? (Status is { } s ? $"HTTP {s}" : Error ?? "no answer");
}

/// <summary>The result of waiting for a given backend to answer through a frontend.</summary>
/// <param name="Answered">The backend answered within the time allowed.</param>
/// <param name="Elapsed">From the given start to the end of the first answer by that backend (or to giving up).</param>
/// <param name="Attempts">Requests sent.</param>
/// <param name="Unexpected">Answers by another backend seen meanwhile (never expected by the scenarios' design).</param>
/// <param name="First">The first probe's answer: anything but the backend means the change was not yet served when the wait began.</param>
/// <param name="Last">The last probe's answer.</param>
internal readonly record struct ProbeWait(bool Answered, TimeSpan Elapsed, int Attempts, int Unexpected, ProbeAnswer First, ProbeAnswer Last);

/// <summary>
/// Requests through HAProxy's frontend, each on a new connection (<c>Connection: close</c>), so an
/// answer always comes from the worker that accepts new connections now and never from a pooled
/// connection held by an older worker.
/// </summary>
internal sealed class FrontendProbe : IDisposable
{
    /// <summary>Pause between two probes that did not find the backend yet (Task.Delay resolution is about 1 ms).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        UseProxy = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(2),
        DefaultRequestHeaders = { ConnectionClose = true },
    };

    public async Task<ProbeAnswer> AskAsync(int port, CancellationToken ct)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri($"http://127.0.0.1:{port}/"), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode ? new ProbeAnswer(body, (int)response.StatusCode, null) : new ProbeAnswer(null, (int)response.StatusCode, null);
        }
        catch (HttpRequestException e)
        {
            return new ProbeAnswer(null, null, e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeAnswer(null, null, "timeout");
        }
    }

    /// <summary>Probes every <see cref="PollInterval"/> until <paramref name="identity"/> answers or <paramref name="timeout"/> passes.</summary>
    /// <param name="from">Stopwatch timestamp the elapsed time is counted from.</param>
    public async Task<ProbeWait> WaitForAsync(int port, string identity, long from, TimeSpan timeout, CancellationToken ct)
    {
        var attempts = 0;
        var unexpected = 0;
        ProbeAnswer first = default;
        ProbeAnswer last;
        while (true)
        {
            attempts++;
            last = await AskAsync(port, ct);
            var now = Stopwatch.GetTimestamp();
            if (attempts == 1)
            {
                first = last;
            }
            if (last.Identity == identity)
            {
                return new ProbeWait(true, Stopwatch.GetElapsedTime(from, now), attempts, unexpected, first, last);
            }
            if (last.Identity is not null)
            {
                unexpected++;
            }
            if (Stopwatch.GetElapsedTime(from, now) >= timeout)
            {
                return new ProbeWait(false, Stopwatch.GetElapsedTime(from, now), attempts, unexpected, first, last);
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>Probes (bounded) until the frontend answers with something other than a 2xx, e.g. 503 when no server may take requests.</summary>
    public async Task<ProbeAnswer> WaitUntilNoBackendAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var answer = await AskAsync(port, ct);
            if (answer.Status is not null && answer.Identity is null || Stopwatch.GetElapsedTime(started) >= timeout)
            {
                return answer;
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    public static bool IsNoServer(ProbeAnswer answer) => answer.Status == (int)HttpStatusCode.ServiceUnavailable;

    public void Dispose() => _client.Dispose();
}
