using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lbaas.Api.Readiness;

public static class ReadinessEndpoints
{
    public static IServiceCollection AddLbaasHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<HaProxyMasterHealthCheck>("haproxy_master_socket", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<HaProxyRuntimeHealthCheck>("haproxy_runtime_socket", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<LastApplyHealthCheck>("last_apply");
        return services;
    }

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapGet("/", Alive).WithName("Alive")
            .WithSummary("Liveness")
            .WithDescription("200 while the process serves requests; it checks nothing else.");
        group.MapGet("/ready", Ready).WithName("Ready")
            .WithSummary("Readiness")
            .WithDescription("200 when every dependency answers (PostgreSQL reachable and migrated; HAProxy's master socket with a live worker; its runtime socket; the last apply went live); otherwise 503 problem+json naming each failing part.");
        return app;
    }

    public static Ok<AliveResponse> Alive() => TypedResults.Ok(new AliveResponse("alive"));

    public static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> Ready(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(ct);
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new CheckResult(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description));
        if (report.Status != HealthStatus.Unhealthy)
        {
            return TypedResults.Ok(new ReadyResponse("ready", checks));
        }
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => $"{e.Key}: {e.Value.Description}");
        return TypedResults.Problem(string.Join("; ", failing), statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready",
            extensions: new Dictionary<string, object?> { ["checks"] = checks });
    }
}

/// <summary>Liveness answer.</summary>
public sealed record AliveResponse(string Status);

/// <summary>Readiness answer: each dependency with its state.</summary>
public sealed record ReadyResponse(string Status, IReadOnlyDictionary<string, CheckResult> Checks);

/// <summary>One dependency's state: healthy, degraded or unhealthy, and why.</summary>
public sealed record CheckResult(string Status, string? Detail);
