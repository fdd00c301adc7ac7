using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

/// <summary>Judges how fresh the last view is; one rule for every endpoint that answers from it.</summary>
public sealed class ScrapeFreshness(MonitoringState monitoring, IOptions<MonitoringOptions> options, TimeProvider time)
{
    /// <summary>The freshness of the current view; null before the first scrape (or where this node does not scrape).</summary>
    /// <param name="databaseError">Why the caller itself could not read PostgreSQL just now, if it could not: stale even if the last scrape could.</param>
    public ScrapeInfo? Current(string? databaseError = null) => monitoring.Current is { } view ? Of(view, databaseError) : null;

    public ScrapeInfo Of(MonitoringView view, string? databaseError = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var failure = monitoring.LastFailure;
        var haproxyStale = failure is not null && failure.At > view.Stats.At || time.GetUtcNow() - view.Stats.At > 3 * options.Value.ScrapeInterval;
        var database = databaseError ?? view.DatabaseError;
        string[] reasons = [.. new[] { failure?.Reason, database }.OfType<string>()];
        return new ScrapeInfo(view.Stats.At, Math.Round(view.Stats.Window.TotalSeconds, 3), haproxyStale || database is not null,
            reasons.Length == 0 ? null : string.Join("; ", reasons), view.DesiredStateAt);
    }
}
