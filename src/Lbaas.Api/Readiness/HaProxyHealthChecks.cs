using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Readiness;

/// <summary>Ready only when the HAProxy this process drives answers on its master socket with a live worker.</summary>
internal sealed class HaProxyMasterHealthCheck(ConfigApplier applier, IOptions<ApplyOptions> apply, IOptions<HaProxyOptions> haproxy, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        HaProxyProbe.CheckAsync(apply.Value.Enabled, haproxy.Value.MasterSocketPath, "with a live worker",
            async token => await applier.IsRunningAsync(token), time, ct);
}

/// <summary>Ready only when the worker answers on its admin (runtime API) socket: statistics, health and runtime changes go through it.</summary>
internal sealed class HaProxyRuntimeHealthCheck(RuntimeSocketClient runtime, IOptions<ApplyOptions> apply, IOptions<HaProxyOptions> haproxy, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        HaProxyProbe.CheckAsync(apply.Value.Enabled, haproxy.Value.AdminSocketPath, "(show info)",
            async token => (await runtime.ShowInfoAsync(token)).Pid > 0, time, ct);
}

internal static class HaProxyProbe
{
    /// <summary>The socket clients ride out a master re-exec for seconds; readiness answers within 2 s.</summary>
    public static async Task<HealthCheckResult> CheckAsync(bool driven, string socket, string what, Func<CancellationToken, Task<bool>> probe, TimeProvider time, CancellationToken ct)
    {
        if (!driven)
        {
            return HealthCheckResult.Healthy("Not driven from this process (Apply:Enabled is false).");
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            return await probe(bounded.Token)
                ? HealthCheckResult.Healthy($"HAProxy answers on {socket} {what}.")
                : HealthCheckResult.Unhealthy($"HAProxy does not answer on {socket} {what}.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"HAProxy did not answer on {socket} within 2 s.");
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            return HealthCheckResult.Unhealthy($"HAProxy does not answer on {socket}: {e.Message}");
        }
    }
}
