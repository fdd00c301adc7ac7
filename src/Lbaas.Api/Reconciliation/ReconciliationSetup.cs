using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

public static class ReconciliationSetup
{
    /// <summary>The reconciler and what writers use to wait for it.</summary>
    public static IServiceCollection AddLbaasReconciliation(this IServiceCollection services)
    {
        services.AddOptions<HaProxyOptions>().BindConfiguration(HaProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApplyOptions>().BindConfiguration(ApplyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<HaProxyOptions>>().Value;
            return new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = options.TemplatesDirectory });
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<HaProxyOptions>>().Value;
            return new ConfigApplier(new ConfigApplierOptions
            {
                ConfigPath = options.ConfigPath,
                MasterSocketPath = options.MasterSocketPath,
                AdminSocketPath = options.AdminSocketPath,
                ServerStateFile = options.ServerStateFile,
                BinaryPath = options.BinaryPath,
                BeforeReload = ct => ReloadWindow.OpenAsync(provider.GetRequiredService<ApplyState>(), provider.GetRequiredService<StatsScraper>(), ct),
            }, provider.GetRequiredService<ConfigRenderer>(), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider => new RuntimeSocketClient(
            new RuntimeSocketOptions { SocketPath = provider.GetRequiredService<IOptions<HaProxyOptions>>().Value.AdminSocketPath },
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider =>
        {
            var path = provider.GetRequiredService<IOptions<HaProxyOptions>>().Value.MasterSocketPath;
            return new HaProxyProcesses(
                new MasterSocketClient(new MasterSocketOptions { SocketPath = path, ConnectRetries = 3 }, provider.GetRequiredService<TimeProvider>()),
                path);
        });
        services.AddSingleton<ApplyCoordinator>();
        services.AddSingleton<ApplyState>();
        services.AddSingleton<ApplyWaiter>();
        services.AddScoped<WriteCompletion>();
        services.AddScoped<DryRun>();
        services.AddHostedService<Reconciler>();
        services.AddHostedService<HaProxyWatch>();
        return services;
    }
}
