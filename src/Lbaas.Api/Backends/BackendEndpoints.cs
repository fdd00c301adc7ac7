using System.Text.Json;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Backends;

public static class BackendEndpoints
{
    /// <param name="loadBalancer">The <see cref="LoadBalancerApi"/> group of one load balancer, which carries the write filters.</param>
    public static RouteGroupBuilder MapBackends(this RouteGroupBuilder loadBalancer)
    {
        var group = loadBalancer.MapGroup("/backends").WithTags("Backends")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Create).WithName("CreateBackend").WithQuery(WriteQuery.Rehearsable)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Add a backend")
            .WithDescription("Adds a server to the load balancer's pool. A host:port already in the pool is 409, unless that backend is being removed: " +
                "it is then taken back with the new settings. Goes live through HAProxy's runtime API, without a reload. Idempotency-Key works as on load balancers.");
        group.MapGet("/", List).WithName("ListBackends")
            .WithSummary("List backends")
            .WithDescription("Returns every server of the pool, by ascending id. The ETag header is the load balancer's, to send in If-Match on PUT of the pool.");
        group.MapPut("/", Replace).WithName("ReplaceBackends").WithQuery(WriteQuery.Rehearsable)
            .WithSummary("Replace the whole pool")
            .WithDescription("Makes the pool exactly the given list in one transaction: servers are matched by host:port, so unchanged ones keep their ids " +
                "and their live state; missing ones drain and are removed as by DELETE with the default drain timeout. Answers once the new pool is live and " +
                "the removed servers are gone (202 with remove_by on those still draining if that takes longer). Made for CI pipelines that sync their backends with one call. " +
                "If-Match takes the load balancer's ETag (it covers the pool); stale is 412.");
        group.MapGet("/{backendId:long}", Get).WithName("GetBackend")
            .WithSummary("Get a backend")
            .WithDescription("Returns one server of the pool. The ETag header is the backend's own version, to send in If-Match on PATCH and DELETE.");
        group.MapPatch("/{backendId:long}", Patch).WithName("PatchBackend").WithQuery(WriteQuery.Rehearsable).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a backend")
            .WithDescription("Applies a JSON merge patch, e.g. {\"weight\": 3} or {\"state\": \"draining\"}. Weight and state changes go live through HAProxy's " +
                "runtime API, without a reload. Patching a backend that is being removed takes it back. If-Match with a stale backend ETag is 412.")
            .Accepts<JsonObject>("application/merge-patch+json", "application/json");
        group.MapDelete("/{backendId:long}", Delete).WithName("DeleteBackend").WithQuery(WriteQuery.Wait, WriteQuery.DryRun, BackendRemoval.DrainTimeoutParameter)
            .WithSummary("Remove a backend")
            .WithDescription("Drains the server (no new sessions; current ones finish), then takes it out of HAProxy once its sessions have ended or " +
                "drain_timeout has passed (default Apply:DrainTimeout, 30s; 0s cuts them at once). 204 once it is gone; 202 with the draining backend " +
                "(remove_by says until when) if that takes longer than the write wait or ?wait=false was asked. If-Match with a stale backend ETag is 412.");
        return group;
    }

    public static async Task<Results<Created<BackendResponse>, Accepted<BackendResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Create(
        long id, BackendRequest request, HttpContext http, [AsParameters] WriteServices services, CancellationToken ct)
    {
        var (db, commit, completion, revisions, dryRun, time) = services;
        var errors = new ValidationErrors();
        if (BackendValidator.Validate(request, "", errors) is not { } valid)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        await using var rehearsal = await dryRun.BeginAsync(http.Request, ct);
        await using var write = await PoolWrite.BeginAsync(db, id, now, ct);
        if (write is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        // The same host:port while it is being removed: take that backend back, with these settings.
        var backend = await db.Backends.FirstOrDefaultAsync(b => b.LoadBalancerId == id && b.Host == valid.Host && b.Port == valid.Port && b.RemoveBy != null, ct);
        if (await DuplicateAsync(db, id, valid, backend?.Id, ct) is { } conflict)
        {
            return conflict;
        }
        if (backend is null)
        {
            backend = new Backend { LoadBalancerId = id, Host = valid.Host, CreatedAt = now };
            db.Backends.Add(backend);
        }
        valid.ApplyTo(backend);
        backend.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await revisions.RecordAsync(id, RevisionCause.Of(http, RevisionActions.BackendCreate), ct);
        if (rehearsal is not null)
        {
            return await dryRun.RehearseAsync(rehearsal, id, ct);
        }
        var location = Location(id, backend.Id);
        await write.CommitAsync(commit, location, backend.ToResponse(), backend.Version, ct);
        var (settled, _, reason) = await completion.CompleteAsync(http, id, ct);
        var answer = await AnswerAsync(http.Response, db, backend, reason, ct);
        return settled ? TypedResults.Created(location, answer) : TypedResults.Accepted(location, answer);
    }

    private static string Location(long id, long backendId) => $"{LoadBalancerEndpoints.Location(id)}/backends/{backendId}";

    public static async Task<Results<Ok<List<BackendResponse>>, ProblemHttpResult>> List(long id, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        // The pool's ETag is the load balancer's (every pool write changes it), read before the
        // pool: a write in between makes it older than the body, so If-Match with it fails safe.
        var version = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == id).Select(l => (uint?)l.Version).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        ETags.Set(response, version.Value);
        var backends = await db.Backends.AsNoTracking().Where(b => b.LoadBalancerId == id).OrderBy(b => b.Id).ToListAsync(ct);
        return TypedResults.Ok(backends.Select(b => b.ToResponse()).ToList());
    }

    public static async Task<Results<Ok<List<BackendResponse>>, Accepted<List<BackendResponse>>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Replace(
        long id, List<BackendRequest?> requests, HttpContext http, LoadBalancerWriter writer, [AsParameters] WriteServices services, CancellationToken ct)
    {
        var (db, commit, completion, revisions, dryRun, time) = services;
        var errors = new ValidationErrors();
        if (BackendValidator.ValidateSet(requests, "body", errors) is not { } wanted || !errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        // The pool's ETag is the load balancer's: If-Match is checked under its row lock, before the write changes it.
        await using var scope = await dryRun.BeginAsync(http.Request, ct) ?? await PoolPrecondition.BeginAsync(db, http.Request, ct);
        if (scope is not null && await PoolPrecondition.CheckAsync(db, http.Request, id, ct) is { } failed)
        {
            return failed;
        }
        await using var write = await PoolWrite.BeginAsync(db, id, now, ct);
        if (write is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        var lb = await db.LoadBalancers.Include(l => l.Backends).FirstAsync(l => l.Id == id, ct);
        writer.ReplaceBackends(lb, wanted, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.UniqueViolation(e) is not null)
        {
            return LoadBalancerWriter.BackendSetConflict();
        }
        await revisions.RecordAsync(id, RevisionCause.Of(http, RevisionActions.BackendsReplace), ct);
        if (DryRun.Requested(http.Request))
        {
            return await dryRun.RehearseAsync(scope!, id, ct);
        }
        // With If-Match the request owns the transaction (PoolWrite joined it), so it commits.
        var poolLocation = $"{LoadBalancerEndpoints.Location(id)}/backends";
        if (scope is null)
        {
            await write.CommitAsync(commit, poolLocation, Pool(lb), lb.Version, ct);
        }
        else
        {
            await commit.CommitAsync(scope, poolLocation, Pool(lb), lb.Version, ct);
        }
        var removing = lb.Backends.Where(b => b.RemoveBy is not null).Select(b => b.Id).ToList();
        var (settled, current, reason) = await completion.CompleteAsync(http, id, ct, removing);
        var pool = Pool(current ?? lb, reason);
        return settled ? TypedResults.Ok(pool) : TypedResults.Accepted(poolLocation, pool);
    }

    private static List<BackendResponse> Pool(LoadBalancer lb, string? pendingReason = null) =>
        lb.Backends.OrderBy(b => b.Id).Select(b => b.ToResponse() with { PendingReason = pendingReason }).ToList();

    public static async Task<Results<Ok<BackendResponse>, ProblemHttpResult>> Get(long id, long backendId, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        var backend = await db.Backends.AsNoTracking().FirstOrDefaultAsync(b => b.Id == backendId && b.LoadBalancerId == id, ct);
        if (backend is null)
        {
            return Problems.NotFound("Backend", backendId);
        }
        ETags.Set(response, backend.Version);
        return TypedResults.Ok(backend.ToResponse());
    }

    public static async Task<Results<Ok<BackendResponse>, Accepted<BackendResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        long id, long backendId, [Microsoft.AspNetCore.Mvc.FromBody] JsonNode patch, HttpContext http, IOptions<JsonOptions> json,
        [AsParameters] WriteServices services, CancellationToken ct)
    {
        var (db, commit, completion, revisions, dryRun, time) = services;
        if (patch is not JsonObject)
        {
            return Problems.Invalid("body", "A merge patch must be a JSON object.");
        }
        var now = time.GetUtcNow();
        await using var rehearsal = await dryRun.BeginAsync(http.Request, ct);
        await using var write = await PoolWrite.BeginAsync(db, id, now, ct);
        var backend = write is null ? null : await db.Backends.FirstOrDefaultAsync(b => b.Id == backendId && b.LoadBalancerId == id, ct);
        if (backend is null)
        {
            return Problems.NotFound("Backend", backendId);
        }
        // Under the load balancer's row lock, which every writer of a backend takes first.
        if (ETags.IfMatch(http.Request, backend.Version) == false)
        {
            return Problems.PreconditionFailed();
        }
        var options = json.Value.SerializerOptions;
        var merged = MergePatch.Apply(JsonSerializer.SerializeToNode(backend.ToRequest(), options), patch);
        var errors = new ValidationErrors();
        if (BackendValidator.Validate(merged.Deserialize<BackendRequest>(options) ?? new BackendRequest(), "", errors) is not { } valid)
        {
            return Problems.Invalid(errors);
        }
        if (await DuplicateAsync(db, id, valid, backendId, ct) is { } conflict)
        {
            return conflict;
        }
        valid.ApplyTo(backend);
        backend.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await revisions.RecordAsync(id, RevisionCause.Of(http, RevisionActions.BackendUpdate), ct);
        if (rehearsal is not null)
        {
            return await dryRun.RehearseAsync(rehearsal, id, ct);
        }
        await write!.CommitAsync(commit, Location(id, backendId), backend.ToResponse(), backend.Version, ct);
        var (settled, _, reason) = await completion.CompleteAsync(http, id, ct);
        var answer = await AnswerAsync(http.Response, db, backend, reason, ct);
        return settled ? TypedResults.Ok(answer) : TypedResults.Accepted(Location(id, backendId), answer);
    }

    public static async Task<Results<NoContent, Accepted<BackendResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Delete(
        long id, long backendId, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "drain_timeout")] string? drainTimeout, HttpContext http,
        IOptions<ApplyOptions> apply, [AsParameters] WriteServices services, CancellationToken ct)
    {
        var (db, commit, completion, revisions, dryRun, time) = services;
        if (!BackendRemoval.TryParseDrainTimeout(drainTimeout, apply.Value.DrainTimeout, out var timeout))
        {
            return Problems.Invalid("drain_timeout", BackendRemoval.DrainTimeoutMessage);
        }
        var now = time.GetUtcNow();
        await using var rehearsal = await dryRun.BeginAsync(http.Request, ct);
        await using var write = await PoolWrite.BeginAsync(db, id, now, ct);
        var backend = write is null ? null : await db.Backends.FirstOrDefaultAsync(b => b.Id == backendId && b.LoadBalancerId == id, ct);
        if (backend is null)
        {
            return Problems.NotFound("Backend", backendId);
        }
        if (ETags.IfMatch(http.Request, backend.Version) == false)
        {
            return Problems.PreconditionFailed();
        }
        BackendRemoval.Start(backend, now, timeout);
        await db.SaveChangesAsync(ct);
        await revisions.RecordAsync(id, RevisionCause.Of(http, RevisionActions.BackendDelete), ct);
        if (rehearsal is not null)
        {
            return await dryRun.RehearseAsync(rehearsal, id, ct);
        }
        await write!.CommitAsync(commit, Location(id, backendId), backend.ToResponse(), backend.Version, ct);
        var (remaining, reason) = await completion.CompleteRemovalAsync(http, id, backendId, ct);
        if (remaining is null)
        {
            ETags.Clear(http.Response);
            return TypedResults.NoContent();
        }
        ETags.Set(http.Response, remaining.Version);
        return TypedResults.Accepted(Location(id, backendId), remaining.ToResponse() with { PendingReason = reason });
    }

    /// <summary>
    /// The backend as it is after the wait, with its ETag from the same read (replacing the load
    /// balancer's that the write completion set: the response is the backend). As written if it
    /// was removed meanwhile.
    /// </summary>
    private static async Task<BackendResponse> AnswerAsync(HttpResponse response, LbaasDb db, Backend written, string? pendingReason, CancellationToken ct)
    {
        var current = await db.Backends.AsNoTracking().FirstOrDefaultAsync(b => b.Id == written.Id, ct) ?? written;
        ETags.Set(response, current.Version);
        return current.ToResponse() with { PendingReason = pendingReason };
    }

    private static async Task<ProblemHttpResult?> DuplicateAsync(LbaasDb db, long lbId, ValidBackend valid, long? self, CancellationToken ct)
    {
        var same = await db.Backends.AsNoTracking()
            .Where(b => b.LoadBalancerId == lbId && b.Id != self
                && ((b.Host == valid.Host && b.Port == valid.Port) || (valid.Name != null && b.Name == valid.Name && b.RemoveBy == null)))
            .Select(b => new { b.Id, b.Host, b.Port, b.Name })
            .FirstOrDefaultAsync(ct);
        return same switch
        {
            null => null,
            _ when same.Host == valid.Host && same.Port == valid.Port =>
                Problems.Conflict("port", $"{valid.Host}:{valid.Port} is already backend {same.Id} of load balancer {lbId}.", same.Id),
            _ => Problems.Conflict("name", $"A backend named '{valid.Name}' already exists in load balancer {lbId} (id {same.Id}).", same.Id),
        };
    }
}
