using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Sockets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lbaas.Api.Reconciliation;

public static class HaProxyStatusEndpoints
{
    public const string Route = "/api/v1/haproxy";

    public static RouteHandlerBuilder MapHaProxyStatus(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, Get).WithTags("HAProxy").WithName("GetHaProxyStatus")
            .WithSummary("HAProxy's processes and the last apply")
            .WithDescription("Version, master and worker pids, reloads (and failed ones), old workers still finishing their connections after a reload, " +
                "and the last apply: revision, time, path taken (none, runtime or reload), duration and result. Answers 200 with running=false " +
                "and the error when HAProxy's master socket does not answer. Everything but show proc is in memory, so it answers 200 while PostgreSQL is away too: " +
                "scrape (as on the statistics endpoints) is then stale, with \"database unavailable: …\" in scrape.last_error, since the last apply cannot read the desired state.");

    public static async Task<Ok<HaProxyStatusResponse>> Get(HaProxyProcesses processes, ApplyState state, ScrapeFreshness freshness, CancellationToken ct)
    {
        var (list, error) = await processes.ReadAsync(ct);
        var last = state.Last;
        var counts = state.Totals;
        return TypedResults.Ok(new HaProxyStatusResponse(
            list?.CurrentWorker is not null,
            error,
            list?.Master.Version,
            list?.Master.Pid,
            list?.Workers.Select(w => w.Pid).ToList() ?? [],
            list?.Master.Reloads,
            list?.FailedReloads,
            list?.OldWorkers.Select(w => new OldWorkerResponse(w.Pid, (long)w.Uptime.TotalSeconds)).ToList() ?? [],
            last is null ? null : new LastApplyResponse(last.Revision, last.At, last.Path, Math.Round(last.Duration.TotalMilliseconds, 1), last.Outcome, last.IsLive, last.Message),
            new ApplyCountsResponse(counts.None, counts.Runtime, counts.Reload, counts.Failed))
        { Scrape = freshness.Current() });
    }
}
