using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// A bounded burst of backend creates on one load balancer, each a distinct port with its own
/// Idempotency-Key, from a few concurrent writers: what a CI pipeline does while something
/// fails underneath. A write is retried with the same key (bounded) when the answer leaves its
/// outcome open (no answer, or a 503 that does not say nothing was changed); every final
/// answer is kept so a test can hold it against what was stored.
/// </summary>
public sealed class WriteBurst
{
    /// <summary>What a 503 says when the write certainly did not happen.</summary>
    public const string NothingChanged = "nothing was changed";

    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(90);
    private readonly ConcurrentBag<WriteOutcome> _outcomes = [];
    private readonly Func<HttpClient> _client;
    private readonly long _loadBalancerId;
    private int _next;

    private WriteBurst(Func<HttpClient> client, long loadBalancerId, int firstPort)
    {
        _client = client;
        _loadBalancerId = loadBalancerId;
        _next = firstPort - 1;
    }

    public IReadOnlyCollection<WriteOutcome> Outcomes => _outcomes;

    /// <summary>Writes answered 2xx: each must be stored.</summary>
    public int Acknowledged => _outcomes.Count(o => o.Acknowledged);

    /// <summary>Completes when the last write has its final answer.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <param name="client">Makes the client for each writer (the API may be restarted under it).</param>
    /// <param name="loadBalancerId">Where the backends go.</param>
    /// <param name="firstPort">The first backend port; each write takes the next one.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="count">Writes at the most.</param>
    /// <param name="pause">Between two writes of one writer, so a burst spans the fault.</param>
    /// <param name="stop">No new write starts once this is cancelled; the writes under way finish.</param>
    public static WriteBurst Start(Func<HttpClient> client, long loadBalancerId, int firstPort, int writers, int count, TimeSpan pause, CancellationToken stop)
    {
        var burst = new WriteBurst(client, loadBalancerId, firstPort);
        var clock = Stopwatch.StartNew();
        var last = firstPort + count - 1;
        burst.Completion = Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var port = Interlocked.Increment(ref burst._next); port <= last && clock.Elapsed < MaxDuration && !stop.IsCancellationRequested; port = Interlocked.Increment(ref burst._next))
            {
                burst._outcomes.Add(await burst.WriteAsync(port, clock));
                await Task.Delay(pause);
            }
        })));
        return burst;
    }

    private async Task<WriteOutcome> WriteAsync(int port, Stopwatch clock)
    {
        var key = $"burst-{Guid.NewGuid():N}";
        var attempts = new List<string>();
        var open = false;
        while (clock.Elapsed < MaxDuration)
        {
            // Half the writes wait for HAProxy, so a fault can also strike after the commit.
            var wait = port % 2 == 0 ? "?wait=false" : "";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/loadbalancer/{_loadBalancerId}/backends{wait}")
            {
                Content = HttpJson.Json($$"""{"host": "127.0.0.1", "port": {{port}}}"""),
            };
            request.Headers.Add("Idempotency-Key", key);
            try
            {
                using var response = await _client().SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                attempts.Add($"{status}: {Shorten(body)}");
                var detail = status >= 400 ? (string?)JsonNode.Parse(body)?["detail"] ?? "" : "";
                // Open: no answer or "outcome unknown" before, or a 503 that does not rule the change out. A later
                // "nothing was changed" speaks only for that attempt, so once open the write keeps its key until it is answered.
                open |= response.StatusCode == HttpStatusCode.ServiceUnavailable && !detail.Contains(NothingChanged, StringComparison.Ordinal);
                if (open && response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // The outcome is open: the same key again is safe.
                    await Task.Delay(200);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // Certainly not stored: this write is over, but the next one waits a little, as Retry-After asks.
                    await Task.Delay(250);
                }
                return new WriteOutcome(port, status, detail, attempts, clock.Elapsed);
            }
            catch (Exception e) when (Traffic.NotServing(e) || e is TaskCanceledException)
            {
                // No answer (the API went away mid-request): outcome open, the same key again is safe.
                open = true;
                attempts.Add($"no answer: {e.GetBaseException().Message}");
                await Task.Delay(200);
            }
        }
        return new WriteOutcome(port, 0, "no final answer in time", attempts, clock.Elapsed);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <param name="Port">The backend port the write asked for: its identity.</param>
/// <param name="Status">The final answer's status; 0 when none came in time.</param>
/// <param name="Detail">The problem's detail for an error.</param>
/// <param name="Attempts">Every attempt's answer, for the failure message.</param>
/// <param name="At">When the final answer came, from the start of the burst.</param>
public sealed record WriteOutcome(int Port, int Status, string Detail, IReadOnlyList<string> Attempts, TimeSpan At)
{
    public bool Acknowledged => Status is >= 200 and < 300;

    public bool SaidNothingChanged => Status == 503 && Detail.Contains(WriteBurst.NothingChanged, StringComparison.Ordinal);

    public override string ToString() => $"port {Port} at {At.TotalSeconds:0.000} s: {string.Join(" | ", Attempts)}";
}
