namespace Lbaas.Api.Revisions;

public static class RevisionSetup
{
    public static IServiceCollection AddLbaasRevisions(this IServiceCollection services)
    {
        services.AddOptions<RevisionOptions>().BindConfiguration(RevisionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RevisionRecorder>();
        return services;
    }
}
