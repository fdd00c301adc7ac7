using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Lbaas.Benchmarks;

/// <summary>One API answer: status, parsed body, how long the call took and when it was complete.</summary>
/// <param name="ReceivedAt">Stopwatch timestamp once the whole answer (headers and body) was read.</param>
internal sealed record ApiAnswer(HttpMethod Method, string Url, HttpStatusCode Status, string Text, TimeSpan Elapsed, long ReceivedAt)
{
    public int Code => (int)Status;

    public bool IsSuccess => Code is >= 200 and < 300;

    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException($"{Method} {Url}: empty body");

    public long Id => (long)Json["id"]!;

    /// <summary>Throws unless the status is one of <paramref name="expected"/>.</summary>
    public ApiAnswer Expect(params HttpStatusCode[] expected) =>
        expected.Contains(Status) ? this : throw new InvalidOperationException($"{Method} {Url}: {Code} {Text}");

    public override string ToString() => $"{Method} {Url}: {Code} {(Text.Length > 300 ? Text[..300] + "…" : Text)}";
}

/// <summary>The Lbaas API as the benchmarks use it: every call timed, nothing thrown on an error status.</summary>
internal sealed class LbaasClient(HttpClient http)
{
    public const string RunLabel = "run";

    public HttpClient Http => http;

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string url, string? json = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var received = Stopwatch.GetTimestamp();
        return new ApiAnswer(method, url, response.StatusCode, text, Stopwatch.GetElapsedTime(started, received), received);
    }

    public Task<ApiAnswer> PostAsync(string url, string json, CancellationToken ct = default) => SendAsync(HttpMethod.Post, url, json, ct);

    public Task<ApiAnswer> PatchAsync(string url, string json, CancellationToken ct = default) => SendAsync(HttpMethod.Patch, url, json, ct);

    public Task<ApiAnswer> DeleteAsync(string url, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, url, null, ct);

    /// <summary>
    /// Deletes every load balancer carrying this run's label (waiting until each is out of
    /// HAProxy). Bounded: a few passes over at most 500 per page.
    /// </summary>
    public async Task DeleteRunAsync(string run)
    {
        for (var pass = 0; pass < 20; pass++)
        {
            var page = await SendAsync(HttpMethod.Get, $"/api/v1/loadbalancer?label={RunLabel}={run}&limit=500");
            if (!page.IsSuccess)
            {
                Console.Error.WriteLine($"cleanup: {page}");
                return;
            }
            var ids = page.Json["items"]!.AsArray().Select(n => (long)n!["id"]!).ToList();
            if (ids.Count == 0)
            {
                return;
            }
            var failed = 0;
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) =>
            {
                var answer = await DeleteAsync($"/api/v1/loadbalancer/{id}", CancellationToken.None);
                if (answer.Status is not (HttpStatusCode.NoContent or HttpStatusCode.Accepted or HttpStatusCode.NotFound))
                {
                    Interlocked.Increment(ref failed);
                    Console.Error.WriteLine($"cleanup: {answer}");
                }
            });
            if (failed == ids.Count)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * pass));
        }
        Console.Error.WriteLine($"cleanup: load balancers labelled {RunLabel}={run} are still there; delete them by hand.");
    }
}
