namespace Lbaas.Api.Monitoring;

/// <summary>How fresh an answer served from the scraper's memory is: the same object on the status, statistics and HAProxy endpoints.</summary>
/// <param name="At">When HAProxy was read.</param>
/// <param name="WindowSeconds">The time between the last two reads: what per-second rates and error rates cover.</param>
/// <param name="Stale">True when the last read of HAProxy is older than three scrape intervals or a later read failed (HAProxy may be down),
/// or when PostgreSQL could not be reached (names, backends and provisioning are then as last read, at <paramref name="DesiredStateAt"/>).</param>
/// <param name="LastError">Why: the failed read of HAProxy, and/or "database unavailable: …" with Npgsql's words; null when fresh.</param>
/// <param name="DesiredStateAt">When the desired state (load balancers, backends, provisioning) was last read from PostgreSQL; null if never since the start.</param>
public sealed record ScrapeInfo(DateTimeOffset At, double WindowSeconds, bool Stale, string? LastError, DateTimeOffset? DesiredStateAt);
