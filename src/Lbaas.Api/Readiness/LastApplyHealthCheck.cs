using Lbaas.Api.Reconciliation;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Readiness;

/// <summary>
/// Ready only once an apply has finished and the last one went live: HAProxy serves the desired
/// state (load balancers it left out for their own errors do not count against the whole).
/// </summary>
internal sealed class LastApplyHealthCheck(ApplyState state, IOptions<ApplyOptions> apply) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        if (!apply.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Not driven from this process (Apply:Enabled is false).");
        }
        return state.Last switch
        {
            null => HealthCheckResult.Unhealthy("No apply has finished since the start."),
            { IsLive: true } last => HealthCheckResult.Healthy($"Revision {last.Revision} applied at {last.At:O} ({last.Path}).".Replace("(none)", "(nothing to change)", StringComparison.Ordinal)),
            var last => HealthCheckResult.Unhealthy($"The last apply failed at {last.At:O}: {last.Message}"),
        };
    }
}
