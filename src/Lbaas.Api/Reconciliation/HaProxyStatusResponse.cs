namespace Lbaas.Api.Reconciliation;

/// <summary>The HAProxy this process drives, as its master reports it, and the control plane's last apply.</summary>
/// <param name="Running">Whether the master socket answered with a current worker.</param>
/// <param name="Error">Why the master could not be asked; null when it answered.</param>
/// <param name="Version">HAProxy's version, as the master reports it.</param>
/// <param name="MasterPid">Process id of the master.</param>
/// <param name="WorkerPids">The current worker(s), serving new connections.</param>
/// <param name="Reloads">Reloads since the master started.</param>
/// <param name="FailedReloads">Reloads that failed since the last one that succeeded (HAProxy's <c>[failed: N]</c>).</param>
/// <param name="OldWorkers">Workers of earlier configurations still finishing their connections, bounded by hard-stop-after.</param>
/// <param name="LastApply">The last apply of this process; null before the first.</param>
/// <param name="ApplyCounts">Applies since this process started, by path.</param>
public sealed record HaProxyStatusResponse(
    bool Running,
    string? Error,
    string? Version,
    int? MasterPid,
    IReadOnlyList<int> WorkerPids,
    int? Reloads,
    int? FailedReloads,
    IReadOnlyList<OldWorkerResponse> OldWorkers,
    LastApplyResponse? LastApply,
    ApplyCountsResponse ApplyCounts)
{
    /// <summary>The scraper's freshness, as on the statistics endpoints: stale with the reason while HAProxy's runtime socket or PostgreSQL cannot be read; null before the first scrape or where this node does not scrape.</summary>
    public Monitoring.ScrapeInfo? Scrape { get; init; }
}

/// <param name="Pid">Process id.</param>
/// <param name="UptimeSeconds">Seconds since it started.</param>
public sealed record OldWorkerResponse(int Pid, long UptimeSeconds);

/// <summary>One apply: making HAProxy serve the desired state at a revision.</summary>
/// <param name="Revision">The newest desired-state revision the apply read.</param>
/// <param name="At">When it finished (UTC).</param>
/// <param name="Path">none (nothing to change, or refused), runtime (runtime API, no reload) or reload.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Result">The outcome, e.g. Unchanged, RuntimeApplied, Reloaded, PartiallyApplied, Invalid, ReloadFailed, HaProxyUnavailable.</param>
/// <param name="Live">Whether HAProxy serves the desired state (minus load balancers left out with a reason) after it.</param>
/// <param name="Message">What happened, in a line.</param>
public sealed record LastApplyResponse(long Revision, DateTimeOffset At, string Path, double DurationMs, string Result, bool Live, string Message);

/// <param name="None">Applies that found HAProxy already serving the desired state.</param>
/// <param name="Runtime">Applies made through the runtime API, without a reload.</param>
/// <param name="Reload">Applies that reloaded HAProxy.</param>
/// <param name="Failed">Applies that did not make the desired state live.</param>
public sealed record ApplyCountsResponse(long None, long Runtime, long Reload, long Failed);
