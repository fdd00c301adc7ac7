using Lbaas.Api.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lbaas.Api.OpenApi;

/// <summary>
/// Documents what handlers and middleware read themselves: the query parameters each endpoint
/// declares (<see cref="QueryParameters"/>, the same list <see cref="QueryStringGuard"/> enforces),
/// Idempotency-Key, If-Match, If-None-Match, X-Lbaas-Actor and Prefer, and the ETag, 304 and 412 they lead to.
/// </summary>
internal sealed class RequestOptionsFilter : IOperationFilter
{
    /// <summary>Operations that honour If-Match, and whose ETag it is.</summary>
    private static readonly Dictionary<string, string> Conditional = new()
    {
        ["ReplaceLoadBalancer"] = "load balancer",
        ["PatchLoadBalancer"] = "load balancer",
        ["DeleteLoadBalancer"] = "load balancer",
        ["RollbackLoadBalancer"] = "load balancer",
        ["ReplaceBackends"] = "load balancer (it covers the pool)",
        ["PatchBackend"] = "backend",
        ["DeleteBackend"] = "backend",
        ["RollBackRollout"] = "rollout (every step of the rollout changes it)",
    };

    /// <summary>Operations that answer with an ETag, and whose.</summary>
    private static readonly Dictionary<string, string> Tagged = new()
    {
        ["GetLoadBalancer"] = "load balancer",
        ["CreateLoadBalancer"] = "load balancer",
        ["ReplaceLoadBalancer"] = "load balancer",
        ["PatchLoadBalancer"] = "load balancer",
        ["RollbackLoadBalancer"] = "load balancer",
        ["ReplaceBackends"] = "load balancer",
        ["ListBackends"] = "load balancer",
        ["GetBackend"] = "backend",
        ["CreateBackend"] = "backend",
        ["PatchBackend"] = "backend",
        ["GetRollout"] = "rollout",
        ["StartRollout"] = "rollout",
        ["RollBackRollout"] = "rollout",
    };

    private static readonly HashSet<string> Writes =
    [
        "CreateLoadBalancer", "ReplaceLoadBalancer", "PatchLoadBalancer", "DeleteLoadBalancer",
        "CreateBackend", "ReplaceBackends", "PatchBackend", "DeleteBackend", "RollbackLoadBalancer",
    ];

    private static readonly HashSet<string> Rollouts = ["StartRollout", "RollBackRollout"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var id = operation.OperationId ?? "";
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        foreach (var parameter in metadata.OfType<QueryParameters>().SelectMany(q => q.Accepted))
        {
            if (operation.Parameters?.Any(p => p.Name == parameter.Name) != true)
            {
                Add(operation, parameter.Name, ParameterLocation.Query, parameter.Description);
            }
        }
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
                    "\"Commit outcome unknown\", the change may or may not be stored; retrying with the same Idempotency-Key is safe. Still colliding with " +
                    "concurrent writes (deadlock or serialization failure) after 4 attempts: \"Write conflict\", nothing was changed. Retry-After says when to retry. " +
                    "A write whose change was committed never answers 503: if waiting for HAProxy or reading the result fails, it answers 202 with the resource " +
                    "as written and its ETag.";
            }
        }
        if (Conditional.TryGetValue(id, out var whose))
        {
            Add(operation, "If-Match", ParameterLocation.Header, $"The ETag of the {whose} from a GET. If it changed since, the request fails with 412 and changes nothing.");
            Respond(operation, "412", "Precondition failed: If-Match does not hold the current ETag; nothing was changed.");
        }
        if (Tagged.TryGetValue(id, out var tagged))
        {
            foreach (var success in operation.Responses?.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>() ?? [])
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers["ETag"] = new OpenApiHeader
                {
                    Description = $"The {tagged}'s version (PostgreSQL xmin), for If-Match and If-None-Match.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }
        if (context.ApiDescription.HttpMethod == "GET")
        {
            if (Tagged.ContainsKey(id))
            {
                Add(operation, "If-None-Match", ParameterLocation.Header, "The ETag from an earlier read (weak comparison, or *): 304 with no body while it is still current.");
                Respond(operation, "304", "Not modified: the ETag in If-None-Match is still current.");
            }
        }
        if (Writes.Contains(id))
        {
            Add(operation, Revisions.ActorHeader.Name, ParameterLocation.Header,
                $"Who makes the change (a person, a pipeline), kept in the load balancer's revisions. At most {Revisions.ActorHeader.MaxLength} characters, " +
                "no control characters; otherwise 400.");
            Add(operation, "Prefer", ParameterLocation.Header, "respond-async: the same as wait=false.");
        }
        else if (Rollouts.Contains(id))
        {
            Add(operation, Revisions.ActorHeader.Name, ParameterLocation.Header,
                "Who starts the rollout or asks for its rollback: every step's revision is recorded as theirs. " +
                $"At most {Revisions.ActorHeader.MaxLength} characters, no control characters; otherwise 400.");
        }
    }

    private static void Respond(OpenApiOperation operation, string status, string description)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status, new OpenApiResponse { Description = description });
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
