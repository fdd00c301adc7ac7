using Lbaas.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lbaas.Api.Backends;

/// <summary>
/// A write to one load balancer's pool. It marks the load balancer changed (new ETag, PENDING_UPDATE)
/// and holds its row lock until commit, so concurrent pool writes queue briefly instead of failing
/// with 409 on a load-balancer-wide version check.
/// </summary>
public sealed class PoolWrite : IAsyncDisposable
{
    private readonly IDbContextTransaction? _owned;

    private PoolWrite(IDbContextTransaction? owned) => _owned = owned;

    /// <summary>Starts the write; null when the load balancer does not exist or is being deleted.</summary>
    public static async Task<PoolWrite?> BeginAsync(LbaasDb db, long loadBalancerId, DateTimeOffset now, CancellationToken ct)
    {
        // Inside a caller's transaction (a rollout step) the caller commits.
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // Lock the load balancer row first, in its own statement: the statement below then reads
        // the newest committed state (a DELETE that committed while we waited is seen), and every
        // writer takes the load balancer row before any backend or status row (no deadlocks).
        await db.LockLoadBalancerAsync(loadBalancerId, ct);
        if (!await db.MarkChangedAsync(loadBalancerId, now, ct))
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
            return null;
        }
        return new PoolWrite(owned);
    }

    /// <summary>Commits through <paramref name="commit"/> with the resource as written; inside a caller's transaction, that caller commits.</summary>
    public async Task CommitAsync(WriteCommit commit, string location, object written, uint version, CancellationToken ct)
    {
        if (_owned is not null)
        {
            await commit.CommitAsync(_owned, location, written, version, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
