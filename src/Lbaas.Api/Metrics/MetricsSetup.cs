using Lbaas.Api.Reconciliation;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lbaas.Api.Metrics;

public static class MetricsSetup
{
    public const string Route = "/metrics";

    /// <summary>
    /// One registry per host rather than prometheus-net's static default: the integration tests run
    /// several APIs in one process, and each must publish only its own load balancers and applies.
    /// </summary>
    public static IServiceCollection AddLbaasMetrics(this IServiceCollection services)
    {
        services.AddSingleton<CollectorRegistry>(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            // process_* and dotnet_* (CPU, memory, GC, threads), as the default registry would have them.
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<IMetricFactory>(provider => Prometheus.Metrics.WithCustomRegistry(provider.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<ControlPlaneMetrics>();
        services.AddSingleton<ScrapeMetrics>();
        return services;
    }

    /// <summary>Counts and times every HTTP request, and serves <c>GET /metrics</c> in the Prometheus text format.</summary>
    public static void UseLbaasMetrics(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        var controlPlane = app.Services.GetRequiredService<ControlPlaneMetrics>();
        registry.AddBeforeCollectCallback(controlPlane.Update);
        // Only the process that drives HAProxy scrapes it; elsewhere these series would only say "down".
        if (app.Services.GetRequiredService<IOptions<ApplyOptions>>().Value.Enabled)
        {
            registry.AddBeforeCollectCallback(app.Services.GetRequiredService<ScrapeMetrics>().Update);
        }
        app.UseHttpMetrics(options => options.SetMetricFactory(app.Services.GetRequiredService<IMetricFactory>()));
        // For Prometheus, not for API clients: kept out of the OpenAPI document.
        app.MapMetrics(Route, registry).ExcludeFromDescription();
    }
}
