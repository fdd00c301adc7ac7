using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
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

    /// <summary>Starts the write; null when the load balancer does not exist.</summary>
    public static async Task<PoolWrite?> BeginAsync(LbaasDb db, long loadBalancerId, DateTimeOffset now, CancellationToken ct)
    {
        // Inside an idempotent POST the transaction already exists and is committed by its owner.
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var touched = await db.LoadBalancers.Where(l => l.Id == loadBalancerId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.UpdatedAt, now)
            .SetProperty(l => l.ProvisioningStatus, l => l.ProvisioningStatus == ProvisioningStatus.PendingCreate
                ? ProvisioningStatus.PendingCreate
                : ProvisioningStatus.PendingUpdate), ct);
        if (touched == 0)
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
            return null;
        }
        return new PoolWrite(owned);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        if (_owned is not null)
        {
            await _owned.CommitAsync(ct);
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
