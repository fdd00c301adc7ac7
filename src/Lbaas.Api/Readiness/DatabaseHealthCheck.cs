using Lbaas.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lbaas.Api.Readiness;

/// <summary>Ready only when PostgreSQL answers and its schema is the one this build expects.</summary>
internal sealed class DatabaseHealthCheck(LbaasDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("PostgreSQL answers and is migrated.")
                : HealthCheckResult.Unhealthy($"PostgreSQL is not migrated: {pending.Count} pending migration(s).");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is not reachable: {e.GetBaseException().Message}");
        }
    }
}
