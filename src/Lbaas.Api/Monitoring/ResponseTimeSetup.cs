namespace Lbaas.Api.Monitoring;

public static class ResponseTimeSetup
{
    /// <summary>Weights of least_response_time servers from response times, after every scrape.</summary>
    public static IServiceCollection AddResponseTimeWeights(this IServiceCollection services)
    {
        services.AddOptions<ResponseTimeOptions>().BindConfiguration(ResponseTimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IScrapeObserver, ResponseTimeWeights>();
        return services;
    }
}
