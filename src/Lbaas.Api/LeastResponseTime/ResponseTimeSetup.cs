using Lbaas.Api.Monitoring;

namespace Lbaas.Api.LeastResponseTime;

public static class ResponseTimeSetup
{
    /// <summary>Weights of least_response_time servers from response times, worked out after every scrape and sent by the reconciler.</summary>
    public static IServiceCollection AddLeastResponseTime(this IServiceCollection services)
    {
        services.AddOptions<ResponseTimeOptions>().BindConfiguration(ResponseTimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IScrapeObserver, WeightController>();
        services.AddSingleton<WeightCommands>();
        return services;
    }
}
