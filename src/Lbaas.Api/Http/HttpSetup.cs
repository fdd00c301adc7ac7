using Serilog;

namespace Lbaas.Api.Http;

public static class HttpSetup
{
    /// <summary>Largest request body accepted: a load balancer with a thousand backends fits easily.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static void AddLbaasHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Kestrel's own 400/414/431 (the application never sees those requests) as problem+json.
            kestrel.ConfigureEndpointDefaults(KestrelRejections.Use);
        });
        builder.Services.ConfigureHttpJsonOptions(o => JsonSetup.Configure(o.SerializerOptions));
        // Body binding errors are thrown so BadRequestExceptionHandler can name the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
    }

    public static void UseLbaasHttp(this WebApplication app)
    {
        // Outermost, so the request log shows the status the client got, not the exception on its way out.
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before routing: HEAD is routed as GET. After it: the query check knows the endpoint.
        app.UseMiddleware<ConditionalGet>();
        app.UseRouting();
        app.UseMiddleware<QueryStringGuard>();
    }
}
