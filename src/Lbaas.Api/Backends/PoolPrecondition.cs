using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lbaas.Api.Backends;

/// <summary>
/// If-Match on a write to the whole pool, which has no ETag of its own: the load balancer's covers
/// it. The check must see the version before the write's <see cref="PoolWrite"/> changes it, under
/// the same row lock, so the request owns the transaction and PoolWrite joins it.
/// </summary>
public static class PoolPrecondition
{
    /// <summary>A transaction for the check when the request has If-Match; null otherwise.</summary>
    public static async Task<IDbContextTransaction?> BeginAsync(LbaasDb db, HttpRequest request, CancellationToken ct) =>
        request.Headers.IfMatch.Count > 0 ? await db.Database.BeginTransactionAsync(ct) : null;

    /// <summary>412 when If-Match does not hold the load balancer's current ETag; null when it does, when there is none, or the load balancer is gone (the write then answers 404).</summary>
    public static async Task<ProblemHttpResult?> CheckAsync(LbaasDb db, HttpRequest request, long loadBalancerId, CancellationToken ct)
    {
        await db.LockLoadBalancerAsync(loadBalancerId, ct);
        var version = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == loadBalancerId).Select(l => (uint?)l.Version).FirstOrDefaultAsync(ct);
        return version is { } current && ETags.IfMatch(request, current) == false ? Problems.PreconditionFailed() : null;
    }
}
