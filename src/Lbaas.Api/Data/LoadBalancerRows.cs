using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Data;

/// <summary>
/// Every raw SQL statement over load balancer rows and their provisioning statuses, side by side:
/// the row lock every writer takes first, the one way to mark a load balancer changed (a new
/// revision and PENDING_UPDATE), deletion's mark, and the statuses the reconciler records. Enum
/// members and the revision sequence go in as parameters taken from <c>nameof</c> and
/// <see cref="LoadBalancerConfiguration.RevisionSequence"/>, never spelled by hand, so renaming
/// one cannot leave a statement behind.
/// </summary>
public static class LoadBalancerRows
{
    private const string PendingCreate = nameof(ProvisioningStatus.PendingCreate);
    private const string PendingUpdate = nameof(ProvisioningStatus.PendingUpdate);
    private const string PendingDelete = nameof(ProvisioningStatus.PendingDelete);
    private const string Active = nameof(ProvisioningStatus.Active);
    private const string Error = nameof(ProvisioningStatus.Error);
    private const string Revisions = LoadBalancerConfiguration.RevisionSequence;

    /// <summary>
    /// Takes a load balancer's row lock until the transaction ends. Every writer takes it before
    /// touching backends or statuses: one lock order, no deadlocks.
    /// </summary>
    public static Task LockLoadBalancerAsync(this LbaasDb db, long id, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM load_balancers WHERE id = {id} FOR UPDATE", ct);

    /// <summary>
    /// The rows of <paramref name="ids"/>, in id order, shared with other readers but not with a
    /// writer: for a transaction whose foreign-key checks would otherwise ask for them while it
    /// holds status rows a writer waits for.
    /// </summary>
    public static Task LockLoadBalancersSharedAsync(this LbaasDb db, long[] ids, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM load_balancers WHERE id = ANY({ids}) ORDER BY id FOR KEY SHARE", ct);

    /// <summary>
    /// Marks a load balancer changed, in one statement: a new revision and updated_at (a new ETag),
    /// PENDING_UPDATE unless it was never applied yet. The caller holds its row lock. False when
    /// it does not exist or is being deleted.
    /// </summary>
    public static async Task<bool> MarkChangedAsync(this LbaasDb db, long id, DateTimeOffset now, CancellationToken ct)
    {
        var revisions = await db.Database.SqlQuery<long>($"""
            WITH touched AS (
                UPDATE load_balancers SET updated_at = {now}, revision = nextval({Revisions}::regclass)
                WHERE id = {id}
                  AND NOT EXISTS (SELECT 1 FROM load_balancer_statuses d WHERE d.load_balancer_id = {id} AND d.provisioning_status = {PendingDelete})
                RETURNING id, revision),
            status AS (
                UPDATE load_balancer_statuses s SET provisioning_status = {PendingUpdate}, changed_at = {now}
                FROM touched WHERE s.load_balancer_id = touched.id AND s.provisioning_status <> {PendingCreate})
            SELECT revision AS "Value" FROM touched
            """).ToListAsync(ct);
        return revisions.Count == 1;
    }

    /// <summary>
    /// Marks a load balancer PENDING_DELETE with a new revision; false when it is gone, already
    /// being deleted, or (with <paramref name="version"/>) changed.
    /// </summary>
    public static async Task<bool> MarkDeletingAsync(this LbaasDb db, long id, uint? version, DateTimeOffset now, CancellationToken ct)
    {
        var expected = version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var marked = await db.Database.SqlQuery<long>($"""
            WITH touched AS (
                UPDATE load_balancers SET revision = nextval({Revisions}::regclass), updated_at = {now}
                WHERE id = {id} AND ({expected}::text IS NULL OR xmin::text = {expected})
                  AND EXISTS (SELECT 1 FROM load_balancer_statuses s WHERE s.load_balancer_id = {id} AND s.provisioning_status <> {PendingDelete})
                RETURNING id)
            UPDATE load_balancer_statuses s SET provisioning_status = {PendingDelete}, changed_at = {now}
            FROM touched WHERE s.load_balancer_id = touched.id
            RETURNING s.load_balancer_id AS "Value"
            """).ToListAsync(ct);
        return marked.Count == 1;
    }

    /// <summary>Load balancers still waiting for their revision to be tried say why (<paramref name="reason"/>).</summary>
    public static Task MarkWaitingAsync(this LbaasDb db, long[] ids, string reason, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE load_balancer_statuses s
            SET reason = {reason}
            FROM load_balancers lb
            WHERE s.load_balancer_id = lb.id AND lb.id = ANY({ids}) AND s.attempted_revision < lb.revision
              AND s.reason IS DISTINCT FROM {reason}
            """, ct);

    /// <summary>Each load balancer's revision is live: ACTIVE if nothing newer was written meanwhile.</summary>
    public static Task MarkLiveAsync(this LbaasDb db, long[] ids, long[] revisions, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE load_balancer_statuses s
            SET provisioning_status = CASE WHEN lb.revision = t.rev THEN {Active} ELSE s.provisioning_status END,
                reason = NULL, applied_revision = t.rev, attempted_revision = t.rev, changed_at = {now}
            FROM unnest({ids}::bigint[], {revisions}::bigint[]) AS t(id, rev)
            JOIN load_balancers lb ON lb.id = t.id
            WHERE s.load_balancer_id = t.id AND s.provisioning_status <> {PendingDelete}
              AND (s.applied_revision <> t.rev OR s.attempted_revision <> t.rev OR s.reason IS NOT NULL
                   OR (lb.revision = t.rev AND s.provisioning_status <> {Active}))
            """, ct);

    /// <summary>Each load balancer's revision was refused, with its reason: ERROR if nothing newer was written meanwhile.</summary>
    public static Task MarkFailedAsync(this LbaasDb db, long[] ids, long[] revisions, string[] reasons, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE load_balancer_statuses s
            SET provisioning_status = CASE WHEN lb.revision = t.rev THEN {Error} ELSE s.provisioning_status END,
                reason = t.reason, attempted_revision = t.rev, changed_at = {now}
            FROM unnest({ids}::bigint[], {revisions}::bigint[], {reasons}::text[]) AS t(id, rev, reason)
            JOIN load_balancers lb ON lb.id = t.id
            WHERE s.load_balancer_id = t.id AND s.provisioning_status <> {PendingDelete}
              AND (s.attempted_revision <> t.rev OR s.reason IS DISTINCT FROM t.reason
                   OR (lb.revision = t.rev AND s.provisioning_status <> {Error}))
            """, ct);

    /// <summary>Deletes load balancers HAProxy no longer serves, unless written again since the revision the apply removed.</summary>
    public static Task DeleteRemovedAsync(this LbaasDb db, long[] ids, long[] revisions, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM load_balancers lb
            USING unnest({ids}::bigint[], {revisions}::bigint[]) AS t(id, rev)
            WHERE lb.id = t.id AND lb.revision = t.rev
            """, ct);
}
