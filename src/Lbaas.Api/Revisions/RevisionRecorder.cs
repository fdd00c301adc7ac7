using System.Text.Json;
using System.Text.Json.Nodes;
using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Revisions;

/// <summary>
/// Records a load balancer's new revision. Every write calls it after saving its change and before
/// committing, in the same transaction: the revision exists exactly when the change does, so a
/// failed write, a rolled-back dry run or a replayed idempotent request leaves none.
/// </summary>
public sealed class RevisionRecorder(LbaasDb db, IOptions<RevisionOptions> options, TimeProvider time)
{
    /// <summary>The API's own JSON contract, so a stored spec reads like a request and can be sent back as one.</summary>
    public static readonly JsonSerializerOptions Json = JsonSetup.Create();

    public async Task<LoadBalancerRevision> RecordAsync(long loadBalancerId, RevisionCause cause, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A revision is recorded inside the transaction of the write it describes.");
        }
        // Read back as stored; the writer holds the row lock (or has just inserted the row), so nothing changes it meanwhile.
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstAsync(l => l.Id == loadBalancerId, ct);
        var spec = JsonSerializer.SerializeToNode(SpecOf(lb), Json);
        var previous = await db.Revisions.AsNoTracking()
            .Where(r => r.LoadBalancerId == loadBalancerId)
            .OrderByDescending(r => r.Revision)
            .Select(r => r.Spec)
            .FirstOrDefaultAsync(ct);
        var changes = new List<string>();
        if (cause.Note is not null)
        {
            changes.Add(cause.Note);
        }
        // A load balancer from before revisions were recorded has nothing to compare with.
        changes.AddRange(previous is not null ? SpecDiff.Between(JsonNode.Parse(previous), spec)
            : cause.Action == RevisionActions.LoadBalancerCreate ? ["created"] : ["first recorded revision"]);
        var revision = new LoadBalancerRevision
        {
            LoadBalancerId = loadBalancerId,
            Revision = lb.Revision,
            CreatedAt = time.GetUtcNow(),
            Actor = cause.Actor,
            Source = cause.Source,
            Action = cause.Action,
            Changes = changes,
            Spec = spec!.ToJsonString(),
        };
        db.Revisions.Add(revision);
        await db.SaveChangesAsync(ct);
        await PruneAsync(loadBalancerId, ct);
        return revision;
    }

    /// <summary>
    /// The desired spec in the API's request shape, backends included. Backends being removed are
    /// left out: they are on their way out, and restoring this spec must not bring them back.
    /// </summary>
    public static LoadBalancerRequest SpecOf(LoadBalancer lb) => lb.ToRequest() with
    {
        Backends = lb.Backends.Where(b => b.RemoveBy is null).OrderBy(b => b.Id).Select(b => b.ToRequest()).ToList(),
    };

    /// <summary>One statement: everything older than the newest <see cref="RevisionOptions.Keep"/> goes.</summary>
    private Task<int> PruneAsync(long loadBalancerId, CancellationToken ct)
    {
        var skip = options.Value.Keep - 1;
        return db.Revisions
            .Where(r => r.LoadBalancerId == loadBalancerId && r.Revision < db.Revisions
                .Where(k => k.LoadBalancerId == loadBalancerId)
                .OrderByDescending(k => k.Revision)
                .Skip(skip)
                .Select(k => (long?)k.Revision)
                .FirstOrDefault())
            .ExecuteDeleteAsync(ct);
    }
}
