using System.Text.Json;
using Lbaas.Api.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lbaas.Api.OpenApi;

/// <summary>Puts the <see cref="Examples"/> of each operation on its request body and its success response.</summary>
internal sealed class ExamplesFilter : IOperationFilter
{
    // Unset optional fields are left out so the examples read like real requests.
    private static readonly JsonSerializerOptions Json = new(JsonSetup.Create())
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var (request, response) = Examples.For(operation.OperationId);
        if (request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values.OfType<OpenApiMediaType>())
            {
                media.Example = JsonSerializer.SerializeToNode(request, request.GetType(), Json);
            }
        }
        // 200/201 and the 202 of a write that did not go live within the wait carry the same body.
        foreach (var success in operation.Responses?.Where(r => r.Key.StartsWith('2')).Select(r => r.Value) ?? [])
        {
            foreach (var media in (success.Content?.Values ?? []).OfType<OpenApiMediaType>())
            {
                if (response is not null)
                {
                    media.Example = JsonSerializer.SerializeToNode(response, response.GetType(), Json);
                }
            }
        }
    }
}
