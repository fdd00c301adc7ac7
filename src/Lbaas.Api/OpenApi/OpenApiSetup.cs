using System.Reflection;
using Microsoft.OpenApi;

namespace Lbaas.Api.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddLbaasOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Lbaas",
                Version = "v1",
                Description = "Load Balancer as a Service: load balancers and their backends, kept in PostgreSQL and served by HAProxy. " +
                    "JSON is snake_case; every error is application/problem+json with the offending field named in `errors`.",
            });
            o.IncludeXmlComments(Assembly.GetExecutingAssembly());
            o.SupportNonNullableReferenceTypes();
            o.OperationFilter<ExamplesFilter>();
            o.OperationFilter<RequestOptionsFilter>();
        });
        return services;
    }

    public static void UseLbaasOpenApi(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint(DocumentPath, "Lbaas v1");
            o.DocumentTitle = "Lbaas API";
        });
        app.UseReDoc(o =>
        {
            o.RoutePrefix = "redoc";
            o.SpecUrl = DocumentPath;
            o.DocumentTitle = "Lbaas API";
        });
    }
}
