using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Sync;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// <c>?wait_for=online</c>: after a write is live, waits (bounded by <see cref="MonitoringOptions.OnlineWait"/>)
/// until the load balancer is ONLINE with every health check done, or NO_MONITOR. Scrapes come
/// every <see cref="MonitoringOptions.WaitScrapeInterval"/> while anyone waits.
/// </summary>
public sealed class OnlineWaiter(MonitoringState state, IOptions<MonitoringOptions> options, IOptions<ApplyOptions> apply, TimeProvider time)
{
    public const string Parameter = "wait_for";
    public const string Online = "online";

    public static bool Requested(HttpRequest request) => request.Query.ContainsKey(Parameter);

    /// <summary>The problem with the request's <c>wait_for</c>, or null when it is absent or valid.</summary>
    public static string? Problem(HttpRequest request)
    {
        if (!Requested(request))
        {
            return null;
        }
        if (!string.Equals(request.Query[Parameter], Online, StringComparison.Ordinal))
        {
            return $"wait_for must be '{Online}'.";
        }
        return WriteCompletion.WantsAsync(request) ? "wait_for=online waits for the change to be live first: it cannot go with wait=false or Prefer: respond-async." : null;
    }

    /// <returns>True once online; false when the wait ran out, the load balancer went to ERROR, or nothing here watches HAProxy.</returns>
    public async Task<bool> WaitAsync(long loadBalancerId, CancellationToken ct)
    {
        if (!apply.Value.Enabled)
        {
            return false;
        }
        using var hurry = state.Hurry();
        using var timeout = new CancellationTokenSource(options.Value.OnlineWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            // The scrape under way may have read HAProxy before the change went live: judge only later ones.
            await state.NextScrape().WaitAsync(linked.Token);
            while (true)
            {
                var next = state.NextScrape();
                var health = state.Current?.Health.GetValueOrDefault(loadBalancerId);
                if (health is { IsOnline: true })
                {
                    return true;
                }
                if (health?.Status == OperatingStatus.Error)
                {
                    return false;
                }
                await next.WaitAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return state.Current?.Health.GetValueOrDefault(loadBalancerId) is { IsOnline: true };
        }
    }
}
