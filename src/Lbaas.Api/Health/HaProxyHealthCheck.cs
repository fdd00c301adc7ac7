using Lbaas.Api.Sync;
using Lbaas.HaProxy.Applying;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Health;

/// <summary>Ready only when the HAProxy this process drives answers on its master socket with a live worker.</summary>
internal sealed class HaProxyHealthCheck(ConfigApplier applier, IOptions<ApplyOptions> apply, IOptions<HaProxyOptions> haproxy) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!apply.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Not driven from this process (Apply:Enabled is false).");
        }
        // The applier rides out a master re-exec for seconds; readiness should answer sooner.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            return await applier.IsRunningAsync(bounded.Token)
                ? HealthCheckResult.Healthy("HAProxy answers on its master socket with a live worker.")
                : HealthCheckResult.Unhealthy($"HAProxy does not answer on {haproxy.Value.MasterSocketPath}.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"HAProxy did not answer on {haproxy.Value.MasterSocketPath} within 2 s.");
        }
    }
}
