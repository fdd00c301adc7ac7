using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lbaas.Api.OpenApi;

/// <summary>Documents the request headers the handlers read themselves: Idempotency-Key and If-Match.</summary>
internal sealed class HeadersFilter : IOperationFilter
{
    private static readonly HashSet<string> Creates = ["CreateLoadBalancer", "CreateBackend"];
    private static readonly HashSet<string> Conditional = ["ReplaceLoadBalancer", "PatchLoadBalancer", "DeleteLoadBalancer"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (Creates.Contains(operation.OperationId ?? ""))
        {
            Add(operation, "Idempotency-Key",
                "Makes the create safe to retry: the same key with the same body returns the first response (kept 24 h); with another body, 422.");
        }
        if (Conditional.Contains(operation.OperationId ?? ""))
        {
            Add(operation, "If-Match", "The ETag from a GET. If the load balancer changed since, the request fails with 412 and changes nothing.");
        }
    }

    private static void Add(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }
}
