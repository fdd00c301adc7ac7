using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lbaas.Api.OpenApi;

/// <summary>Documents what handlers read themselves: Idempotency-Key, If-Match, X-Lbaas-Actor, Prefer, wait and dry_run.</summary>
internal sealed class RequestOptionsFilter : IOperationFilter
{
    private static readonly HashSet<string> Conditional = ["ReplaceLoadBalancer", "PatchLoadBalancer", "DeleteLoadBalancer", "RollbackLoadBalancer"];
    private static readonly HashSet<string> Rehearsable = ["CreateLoadBalancer", "ReplaceLoadBalancer", "PatchLoadBalancer", "RollbackLoadBalancer"];

    private static readonly HashSet<string> Writes =
    [
        "CreateLoadBalancer", "ReplaceLoadBalancer", "PatchLoadBalancer", "DeleteLoadBalancer",
        "CreateBackend", "ReplaceBackends", "PatchBackend", "DeleteBackend", "RollbackLoadBalancer",
    ];

    private static readonly HashSet<string> Rollouts = ["StartRollout", "RollBackRollout"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var id = operation.OperationId ?? "";
        if (Writes.Contains(id) || Rollouts.Contains(id))
        {
            Add(operation, Idempotency.IdempotencyStore.Header, ParameterLocation.Header,
                "Makes the write safe to retry, also after a 503 saying the commit outcome is unknown: the same key on the same method and path with the same " +
                "body and query (drain_timeout; not wait or wait_for) is applied at most once and returns the first answer again (status, Location, ETag, body; " +
                "Idempotent-Replayed: true), kept 24 h. A first answer of 202 replays as 202: follow Location for the current state. The same key with another " +
                "request is 422. Failed attempts are not kept. Ignored with dry_run.");
            if (operation.Responses?.TryGetValue("503", out var unavailable) == true)
            {
                unavailable.Description =
                    "The database failed the write. Before the commit: nothing was changed (\"Database unavailable\"). During COMMIT (connection lost): " +
                    "\"Commit outcome unknown\", the change may or may not be stored; retrying with the same Idempotency-Key is safe. Retry-After says when to retry. " +
                    "A write whose change was committed never answers 503: if waiting for HAProxy or reading the result fails, it answers 202 with the resource as written.";
            }
        }
        if (Conditional.Contains(id))
        {
            Add(operation, "If-Match", ParameterLocation.Header, "The ETag from a GET. If the load balancer changed since, the request fails with 412 and changes nothing.");
        }
        if (Writes.Contains(id))
        {
            Add(operation, Revisions.ActorHeader.Name, ParameterLocation.Header,
                $"Who makes the change (a person, a pipeline), kept in the load balancer's revisions. At most {Revisions.ActorHeader.MaxLength} characters, " +
                "no control characters; otherwise 400.");
            Add(operation, "wait", ParameterLocation.Query,
                "true (default): answer once the change is live in HAProxy (ACTIVE) or has failed (ERROR, reason in status_reason), at most Apply:WriteWait (10 s), " +
                "else 202 with the PENDING_* status. false: answer 202 at once. While HAProxy is known to be unreachable the answer is 202 at once too, " +
                "with the reason in status_reason and a Retry-After header; the change goes live as soon as HAProxy answers again.");
            Add(operation, "Prefer", ParameterLocation.Header, "respond-async: the same as wait=false.");
            if (!id.StartsWith("Delete", StringComparison.Ordinal))
            {
                Add(operation, Monitoring.OnlineWaiter.Parameter, ParameterLocation.Query,
                    "online: once the change is live, also wait until the load balancer is ONLINE with every health check done (or NO_MONITOR when it has no " +
                    "health checks), at most Monitoring:OnlineWait (60 s); then 202 with the current operating_status. ERROR answers at once. Any other value is 400.");
            }
        }
        if (Rehearsable.Contains(id))
        {
            Add(operation, "dry_run", ParameterLocation.Query,
                "true: store nothing; answer 200 with the load balancer as it would be, its HAProxy sections, and whether haproxy -c accepts the whole resulting configuration.");
        }
    }

    private static void Add(OpenApiOperation operation, string name, ParameterLocation location, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = location,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }
}
