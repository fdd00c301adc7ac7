using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
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

    public static bool Requested(HttpRequest request) => string.Equals(request.Query[Parameter], Online, StringComparison.Ordinal);

    /// <summary>The problem with the request's <c>wait_for</c>, or null when it is absent or valid.</summary>
    public static string? Problem(HttpRequest request)
    {
        if (!request.Query.ContainsKey(Parameter))
        {
            return null;
        }
        if (!string.Equals(request.Query[Parameter], Online, StringComparison.Ordinal))
        {
            return $"wait_for must be '{Online}'.";
        }
        return WriteCompletion.WantsAsync(request) ? "wait_for=online waits for the change to be live first: it cannot go with wait=false or Prefer: respond-async." : null;
    }

    /// <summary>
    /// Waits for a read of HAProxy that began at least one health check cycle (interval plus
    /// timeout) after the change went live, so every server has been checked with what is now
    /// configured (a reload carries earlier check results over), to show the load balancer
    /// online. A load balancer that goes to ERROR or is deleted meanwhile ends the wait as settled:
    /// the caller answers as it would without <c>wait_for</c>.
    /// </summary>
    /// <returns>False when the wait ran out, or nothing here watches HAProxy.</returns>
    public async Task<bool> WaitAsync(long loadBalancerId, CancellationToken ct)
    {
        if (!apply.Value.Enabled)
        {
            return false;
        }
        var live = time.GetUtcNow();
        using var hurry = state.Hurry();
        return await state.Scraped.WaitUntilAsync(_ => ValueTask.FromResult(Judge(state.Current, loadBalancerId, live)), options.Value.OnlineWait, time, ct);
    }

    /// <summary>True when settled (online, ERROR or gone), null while it cannot tell yet.</summary>
    private static bool? Judge(MonitoringView? view, long id, DateTimeOffset live)
    {
        if (view is null || view.Stats.ReadStartedAt < live)
        {
            return null;
        }
        if (view.LoadBalancers.FirstOrDefault(l => l.Id == id) is not { } lb)
        {
            return true;
        }
        var health = view.Health.GetValueOrDefault(id);
        if (health?.Status == OperatingStatus.Error)
        {
            return true;
        }
        var checked_ = view.Stats.ReadStartedAt >= live + (lb.ChecksEnabled ? lb.CheckCycle : TimeSpan.Zero);
        return health is { IsOnline: true } && checked_ ? true : null;
    }
}
