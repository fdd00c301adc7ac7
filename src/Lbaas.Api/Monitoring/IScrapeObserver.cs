namespace Lbaas.Api.Monitoring;

/// <summary>Work that follows every successful scrape, in the scraper's loop (e.g. adjusting weights from response times).</summary>
public interface IScrapeObserver
{
    /// <remarks>An exception is logged and the scraper goes on; the next scrape calls again.</remarks>
    Task OnScrapeAsync(MonitoringView view, CancellationToken ct);
}
