using Lbaas.Api.Data;
using Lbaas.Api.Revisions;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.LoadBalancers;

/// <summary>
/// DELETE marks the load balancer PENDING_DELETE with a new revision; the reconciler removes it
/// from HAProxy and only then deletes the row, so a port is never released in the database
/// while HAProxy still listens on it.
/// </summary>
public static class LoadBalancerDeletion
{
    /// <summary>False when the load balancer is gone, already being deleted, or (with <paramref name="version"/>) changed.</summary>
    public static async Task<bool> MarkAsync(
        LbaasDb db, RevisionRecorder revisions, WriteCommit commit, long id, uint? version, RevisionCause cause, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.MarkDeletingAsync(id, version, now, ct))
        {
            return false;
        }
        // Who deleted it stays visible while the reconciler takes it out of HAProxy; the
        // revisions go with the row.
        await revisions.RecordAsync(id, cause, ct);
        var written = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstAsync(l => l.Id == id, ct);
        await commit.CommitAsync(tx, LoadBalancerEndpoints.Location(id), written.ToResponse(), written.Version, ct);
        return true;
    }
}
