using System.Text.Json;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Reconciliation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Revisions;

public static class RevisionEndpoints
{
    /// <param name="loadBalancer">The <see cref="LoadBalancers.LoadBalancerApi"/> group of one load balancer, which carries the write filters.</param>
    public static RouteGroupBuilder MapRevisions(this RouteGroupBuilder loadBalancer)
    {
        var group = loadBalancer.MapGroup("").WithTags("Revisions")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/revisions", List).WithName("ListRevisions").WithQuery(RevisionListQuery.Parameters)
            .WithSummary("List a load balancer's revisions")
            .WithDescription("Every change to the load balancer or its backends, newest first: who (X-Lbaas-Actor), from where, what was done and what changed. " +
                "live says whether HAProxy serves that revision or a later one. Pages hold up to limit items (1-500, default 50); next_cursor (also in the Link header) " +
                "fetches older ones. The newest Revisions:Keep (100) are kept.");
        group.MapGet("/revisions/{revision:long}", Get).WithName("GetRevision")
            .WithSummary("Get one revision with its spec")
            .WithDescription("The revision with the whole spec it left: settings and backends in the shape of a PUT body.");
        group.MapPost("/rollback", Rollback).WithName("RollbackLoadBalancer").WithQuery(WriteQuery.Rehearsable)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Restore an earlier revision")
            .WithDescription("Restores the settings and the backend pool of the given revision, as a new revision (action rollback). Works like PUT with that " +
                "revision's spec: backends are matched by host:port, so unchanged servers keep their ids and live state, and servers not in the spec drain and are removed. " +
                "A revision that does not exist or was pruned is 422; a name or port taken since then is 409; If-Match with a stale ETag is 412.");
        return group;
    }

    public static async Task<Results<Ok<RevisionPage>, ValidationProblem, ProblemHttpResult>> List(
        long id, [AsParameters] RevisionListQuery query, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (query.Parse(errors) is not var (limit, before))
        {
            return Problems.Invalid(errors);
        }
        if (await AppliedRevisionAsync(db, id, ct) is not { } applied)
        {
            return Problems.NotFound("Load balancer", id);
        }
        // Keyset on the (load_balancer_id, revision) index: pages stay stable while writes add revisions.
        var rows = await db.Revisions.AsNoTracking()
            .Where(r => r.LoadBalancerId == id && r.Revision < before)
            .OrderByDescending(r => r.Revision)
            .Take(limit + 1)
            .Select(r => new RevisionSummary(r.Revision, r.CreatedAt, r.Actor, r.Source, r.Action, r.Changes, r.Revision <= applied))
            .ToListAsync(ct);
        var next = rows.Count > limit ? LoadBalancerListQuery.EncodeCursor(rows[limit - 1].Revision) : null;
        if (next is not null)
        {
            response.Headers.Link = $"<{LoadBalancerEndpoints.Route}/{id}/revisions?limit={limit}&cursor={Uri.EscapeDataString(next)}>; rel=\"next\"";
        }
        return TypedResults.Ok(new RevisionPage(rows.Take(limit).ToList(), next));
    }

    public static async Task<Results<Ok<RevisionResponse>, ProblemHttpResult>> Get(long id, long revision, LbaasDb db, CancellationToken ct)
    {
        if (await AppliedRevisionAsync(db, id, ct) is not { } applied)
        {
            return Problems.NotFound("Load balancer", id);
        }
        var row = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.LoadBalancerId == id && r.Revision == revision, ct);
        return row is null
            ? Problems.NotFound("Revision", revision)
            : TypedResults.Ok(new RevisionResponse(row.Revision, row.CreatedAt, row.Actor, row.Source, row.Action, row.Changes, row.Revision <= applied,
                JsonSerializer.Deserialize<LoadBalancerRequest>(row.Spec, RevisionRecorder.Json)!));
    }

    public static async Task<Results<Ok<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Rollback(
        long id, RollbackRequest request, HttpContext http, LbaasDb db, LoadBalancerWriter writer, WriteCompletion completion, DryRun dryRun,
        CancellationToken ct)
    {
        var target = request.Revision;
        if (target < 1)
        {
            return Problems.Invalid("revision", "revision is required: the number of one of this load balancer's revisions (GET …/revisions).");
        }
        var version = await db.LoadBalancers.AsNoTracking()
            .Where(l => l.Id == id && l.Status.ProvisioningStatus != ProvisioningStatus.PendingDelete)
            .Select(l => (uint?)l.Version)
            .FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        // A stale If-Match is 412 whatever the body asks (preconditions come first, RFC 9110
        // 13.2.2); the update below checks it again under the row lock.
        if (ETags.IfMatch(http.Request, version.Value) == false)
        {
            return Problems.PreconditionFailed();
        }
        var spec = await db.Revisions.AsNoTracking()
            .Where(r => r.LoadBalancerId == id && r.Revision == target)
            .Select(r => r.Spec)
            .FirstOrDefaultAsync(ct);
        if (spec is null)
        {
            return UnknownRevision($"Load balancer {id} has no revision {target}: it never had one, or it was pruned (the newest Revisions:Keep are kept).");
        }
        LoadBalancerRequest restored;
        try
        {
            restored = JsonSerializer.Deserialize<LoadBalancerRequest>(spec, RevisionRecorder.Json)!;
        }
        catch (JsonException e)
        {
            return UnknownRevision($"Revision {target} was recorded in a shape this version cannot restore: {e.Message}");
        }
        // The PUT path: validation, conflicts (409), If-Match under the lock, backends matched by
        // host:port, dry run, waiting for HAProxy.
        var cause = RevisionCause.Of(http, RevisionActions.Rollback, $"rolled back to {target}");
        return await LoadBalancerEndpoints.UpdateAsync(id, http, db, writer, completion, dryRun, _ => restored, cause, ct);
    }

    private static async Task<long?> AppliedRevisionAsync(LbaasDb db, long id, CancellationToken ct) =>
        await db.LoadBalancers.AsNoTracking().Where(l => l.Id == id).Select(l => (long?)l.Status.AppliedRevision).FirstOrDefaultAsync(ct);

    private static ProblemHttpResult UnknownRevision(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown revision",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["revision"] = [detail] } });
}
