using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// A load balancer for the status and statistics endpoints: from PostgreSQL, or, while it cannot
/// be reached, as the scraper last read it (<see cref="Remembered"/>, with the reason in
/// <see cref="DatabaseError"/>). HAProxy's side of those answers lives in memory anyway.
/// </summary>
public sealed record LoadBalancerLookup(LoadBalancer? Stored, MonitoredLoadBalancer? Remembered, string? DatabaseError)
{
    /// <summary>Neither stored nor remembered: unknown with the database up (404), or not in the last desired state read (503).</summary>
    public bool Missing => Stored is null && Remembered is null;

    public static async Task<LoadBalancerLookup> FindAsync(LbaasDb db, MonitoringState monitoring, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(monitoring);
        try
        {
            return new(await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct), null, null);
        }
        catch (Exception e) when (DbErrors.IsUnavailable(e) && !ct.IsCancellationRequested)
        {
            return new(null, monitoring.Current?.LoadBalancers.FirstOrDefault(l => l.Id == id), DbErrors.Unavailable(e));
        }
    }

    /// <summary>The answer when <see cref="Missing"/>.</summary>
    public ProblemHttpResult Problem(long id, MonitoringState monitoring)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        if (DatabaseError is null)
        {
            return Http.Problems.NotFound("Load balancer", id);
        }
        var at = monitoring.Current?.DesiredStateAt;
        return TypedResults.Problem(
            $"{DatabaseError}. Load balancer {id} is not in the desired state last read{(at is null ? " (none was read since the start)" : $" at {at:O}")}; retry later.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable");
    }
}
