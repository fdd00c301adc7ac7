using System.Text.Json;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.Monitoring;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.LoadBalancers;

public static class LoadBalancerEndpoints
{
    public const string Route = "/api/v1/loadbalancer";
    private const int MaxUpdateAttempts = 5;

    public static string Location(long id) => $"{Route}/{id}";

    /// <param name="api">The <see cref="LoadBalancerApi"/> group, which carries the write filters.</param>
    public static RouteGroupBuilder MapLoadBalancers(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Load balancers")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Create).WithName("CreateLoadBalancer").WithQuery(WriteQuery.Rehearsable)
            .WithSummary("Create a load balancer")
            .WithDescription("Creates a load balancer, optionally with its backends. frontend_port is allocated from the configured range when omitted. " +
                "Send an Idempotency-Key header to make retries safe: the same key and body return the first response; the same key with another body is 422.");
        group.MapGet("/", List).WithName("ListLoadBalancers").WithQuery(LoadBalancerListQuery.Parameters)
            .WithSummary("List load balancers")
            .WithDescription("Lists load balancers by ascending id, filtered by exact name and by labels (label=key=value, repeatable; all must match). " +
                "Pages hold up to limit items (1-500, default 100); next_cursor (also in the Link header) fetches the next page.");
        group.MapGet("/{id:long}", Get).WithName("GetLoadBalancer").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a load balancer")
            .WithDescription("Returns the load balancer with its backends and statuses. The ETag header is the version to send in If-Match.");
        group.MapPut("/{id:long}", Replace).WithName("ReplaceLoadBalancer").WithQuery(WriteQuery.Rehearsable)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Replace a load balancer")
            .WithDescription("Replaces every setting; omitted fields take their defaults, except frontend_port which keeps its current value. " +
                "backends, when present, replaces the whole set. If-Match with a stale ETag is 412.");
        group.MapPatch("/{id:long}", Patch).WithName("PatchLoadBalancer").WithQuery(WriteQuery.Rehearsable)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Change some settings of a load balancer")
            .WithDescription("Applies a JSON merge patch (RFC 7396, application/merge-patch+json or application/json): objects merge, null resets a field to its default " +
                "(or removes a label). If-Match with a stale ETag is 412.")
            .Accepts<JsonObject>("application/merge-patch+json", "application/json");
        group.MapDelete("/{id:long}", Delete).WithName("DeleteLoadBalancer").WithQuery(WriteQuery.Wait, WriteQuery.DryRun)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Delete a load balancer")
            .WithDescription("Deletes the load balancer with its backends. If-Match with a stale ETag is 412.");
        return group;
    }

    public static async Task<Results<Created<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Create(
        LoadBalancerRequest request, HttpContext http, LbaasDb db, LoadBalancerWriter writer, WriteCompletion completion,
        DryRun dryRun, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (LoadBalancerValidator.Validate(request, writer.DefaultBindAddress, errors) is not { } valid)
        {
            return Problems.Invalid(errors);
        }
        var cause = RevisionCause.Of(http, RevisionActions.LoadBalancerCreate);
        await using var rehearsal = await dryRun.BeginAsync(http.Request, ct);
        var stored = await writer.CreateAsync(valid, cause, ct);
        if (rehearsal is not null && stored.Result is Created<LoadBalancerResponse> rehearsed)
        {
            return await dryRun.RehearseAsync(rehearsal, rehearsed.Value!.Id, ct);
        }
        switch (stored.Result)
        {
            case Created<LoadBalancerResponse> created:
                var (settled, current, _) = await completion.CompleteAsync(http, created.Value!.Id, ct);
                var body = current?.ToResponse() ?? created.Value;
                return settled ? TypedResults.Created(created.Location, body) : TypedResults.Accepted(created.Location, body);
            case ValidationProblem invalid:
                return invalid;
            default:
                return (ProblemHttpResult)stored.Result;
        }
    }

    public static async Task<Results<Ok<LoadBalancerPage>, ValidationProblem>> List(
        [AsParameters] LoadBalancerListQuery query, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (query.Parse(errors) is not { } filter)
        {
            return Problems.Invalid(errors);
        }
        var page = await filter.RunAsync(db, ct);
        if (page.NextCursor is not null)
        {
            response.Headers.Link = $"<{Route}?{filter.NextQuery(page.NextCursor)}>; rel=\"next\"";
        }
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<LoadBalancerResponse>, ProblemHttpResult>> Get(long id, HttpResponse response, LbaasDb db, CancellationToken ct)
    {
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lb is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        ETags.Set(response, lb.Version);
        return TypedResults.Ok(lb.ToResponse());
    }

    public static Task<Results<Ok<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Replace(
        long id, LoadBalancerRequest request, HttpContext http, LbaasDb db, LoadBalancerWriter writer, WriteCompletion completion, DryRun dryRun,
        CancellationToken ct) =>
        UpdateAsync(id, http, db, writer, completion, dryRun, _ => request, RevisionCause.Of(http, RevisionActions.LoadBalancerReplace), ct);

    public static Task<Results<Ok<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        long id, [Microsoft.AspNetCore.Mvc.FromBody] JsonNode patch, HttpContext http, LbaasDb db, LoadBalancerWriter writer, WriteCompletion completion,
        DryRun dryRun, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (patch is not JsonObject)
        {
            return Task.FromResult<Results<Ok<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>>(
                Problems.Invalid("body", "A merge patch must be a JSON object."));
        }
        var options = json.Value.SerializerOptions;
        return UpdateAsync(id, http, db, writer, completion, dryRun, lb =>
        {
            var merged = MergePatch.Apply(JsonSerializer.SerializeToNode(lb.ToRequest(), options), patch);
            return merged.Deserialize<LoadBalancerRequest>(options) ?? new LoadBalancerRequest();
        }, RevisionCause.Of(http, RevisionActions.LoadBalancerPatch), ct);
    }

    public static async Task<Results<NoContent, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ProblemHttpResult>> Delete(
        long id, HttpContext http, [AsParameters] WriteServices services, CancellationToken ct)
    {
        var (db, commit, completion, revisions, dryRun, time) = services;
        var row = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == id)
            .Select(l => new { l.Version, l.Status.ProvisioningStatus }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        if (ETags.IfMatch(http.Request, row.Version) == false && row.ProvisioningStatus != ProvisioningStatus.PendingDelete)
        {
            return Problems.PreconditionFailed();
        }
        // A preview never waits for a deletion under way, as the real DELETE below does.
        if (DryRun.Requested(http.Request))
        {
            return await dryRun.RehearseDeletionAsync(id, ct);
        }
        // A DELETE repeated while the first one is under way (a retry) just waits for it.
        if (row.ProvisioningStatus != ProvisioningStatus.PendingDelete)
        {
            var ifMatch = ETags.IfMatch(http.Request, row.Version);
            // The row stays until the reconciler has taken the load balancer out of HAProxy.
            var pinned = ifMatch == true && !ETags.IsWildcard(http.Request) ? row.Version : (uint?)null;
            var cause = RevisionCause.Of(http, RevisionActions.LoadBalancerDelete, "deleted");
            if (!await LoadBalancerDeletion.MarkAsync(db, revisions, commit, id, pinned, cause, time.GetUtcNow(), ct))
            {
                // Not marked: gone meanwhile (404), being deleted by a concurrent DELETE (wait for it), or changed (412).
                var status = await db.LoadBalancers.AsNoTracking().Where(l => l.Id == id)
                    .Select(l => (ProvisioningStatus?)l.Status.ProvisioningStatus).FirstOrDefaultAsync(ct);
                if (status is null)
                {
                    return Problems.NotFound("Load balancer", id);
                }
                if (status != ProvisioningStatus.PendingDelete)
                {
                    return Problems.PreconditionFailed();
                }
            }
        }
        var (_, current, _) = await completion.CompleteAsync(http, id, ct);
        if (current is null)
        {
            ETags.Clear(http.Response);
            return TypedResults.NoContent();
        }
        return TypedResults.Accepted($"{Route}/{id}", current.ToResponse());
    }

    /// <summary>
    /// PUT, PATCH and rollback: load, check If-Match, build the new request from the stored one,
    /// validate, store, record as <paramref name="cause"/>. A concurrent write between load and save
    /// is retried from a fresh read, unless the client pinned a version with If-Match, which then answers 412.
    /// </summary>
    internal static async Task<Results<Ok<LoadBalancerResponse>, Accepted<LoadBalancerResponse>, Ok<DryRunResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, HttpContext http, LbaasDb db, LoadBalancerWriter writer, WriteCompletion completion, DryRun dryRun,
        Func<LoadBalancer, LoadBalancerRequest> newRequest, RevisionCause cause, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // One transaction per attempt, holding the load balancer's row lock from the start:
            // every writer locks the load balancer before its backends and statuses (no deadlocks),
            // and a DELETE or backend write in between is seen. A dry run rolls it back.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.LockLoadBalancerAsync(id, ct);
            var lb = await db.LoadBalancers.Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
            if (lb is null || lb.Status.ProvisioningStatus == ProvisioningStatus.PendingDelete)
            {
                return Problems.NotFound("Load balancer", id);
            }
            var ifMatch = ETags.IfMatch(http.Request, lb.Version);
            if (ifMatch == false)
            {
                return Problems.PreconditionFailed();
            }
            var errors = new ValidationErrors();
            if (LoadBalancerValidator.Validate(newRequest(lb), writer.DefaultBindAddress, errors) is not { } valid)
            {
                return Problems.Invalid(errors);
            }
            try
            {
                if (await writer.UpdateAsync(lb, valid, cause, ct) is { } conflict)
                {
                    return conflict;
                }
                if (DryRun.Requested(http.Request))
                {
                    return await dryRun.RehearseAsync(tx, id, ct);
                }
                await writer.CommitAsync(tx, lb, ct);
            }
            // A concurrent writer got in between; deadlock victims are retried whole by WriteRetryFilter.
            catch (DbUpdateConcurrencyException) when (ifMatch is null && attempt < MaxUpdateAttempts)
            {
                db.ChangeTracker.Clear();
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                return ifMatch is null
                    ? Problems.Conflict("body", "The load balancer kept changing while this update was applied; retry.")
                    : Problems.PreconditionFailed();
            }
            var removing = lb.Backends.Where(b => b.RemoveBy is not null).Select(b => b.Id).ToList();
            db.ChangeTracker.Clear();
            var (settled, current, _) = await completion.CompleteAsync(http, id, ct, removing);
            if (current is null)
            {
                return Problems.NotFound("Load balancer", id);
            }
            return settled ? TypedResults.Ok(current.ToResponse()) : TypedResults.Accepted(Location(id), current.ToResponse());
        }
    }
}
