using Lbaas.Api.LeastResponseTime;

namespace Lbaas.Api.Monitoring;

public static class MonitoringSetup
{
    /// <summary>The scraper, the state it publishes and what records it.</summary>
    public static IServiceCollection AddLbaasMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MonitoringState>();
        services.AddSingleton<ScrapeFreshness>();
        services.AddSingleton<HealthRecorder>();
        services.AddSingleton<StatsScraper>();
        services.AddSingleton<OnlineWaiter>();
        services.AddHostedService(provider => provider.GetRequiredService<StatsScraper>());
        services.AddLeastResponseTime();
        return services;
    }
}
