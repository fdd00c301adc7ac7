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
        var success = operation.Responses?.FirstOrDefault(r => r.Key.StartsWith('2')).Value;
        if (response is not null && success?.Content is { } responseContent)
        {
            foreach (var media in responseContent.Values.OfType<OpenApiMediaType>())
            {
                media.Example = JsonSerializer.SerializeToNode(response, response.GetType(), Json);
            }
        }
    }
}
