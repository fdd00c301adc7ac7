namespace Lbaas.Api.Rollouts;

public static class RolloutSetup
{
    /// <summary>The rollout runner and what the endpoints use to wake it. Needs <c>AddLbaasReconciliation</c>.</summary>
    public static IServiceCollection AddLbaasRollouts(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RolloutSignal>();
        services.AddScoped<RolloutStepper>();
        services.AddHostedService<RolloutRunner>();
        return services;
    }
}
