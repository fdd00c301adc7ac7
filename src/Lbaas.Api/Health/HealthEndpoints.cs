using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lbaas.Api.Health;

public static class HealthEndpoints
{
    public static IServiceCollection AddLbaasHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new { Status = "alive" }))
            .WithTags("Health").WithName("Alive")
            .WithSummary("Liveness")
            .WithDescription("200 while the process serves requests; it checks nothing else.");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
        });
        return app;
    }

    /// <summary>200 with every check, or 503 problem+json naming each failing part.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new { Status = e.Value.Status.ToString().ToLowerInvariant(), Detail = e.Value.Description });
        if (report.Status != HealthStatus.Unhealthy)
        {
            return context.Response.WriteAsJsonAsync(new { Status = "ready", Checks = checks });
        }
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => $"{e.Key}: {e.Value.Description}");
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Not ready",
            Detail = string.Join("; ", failing),
            Extensions = { ["checks"] = checks },
        };
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
