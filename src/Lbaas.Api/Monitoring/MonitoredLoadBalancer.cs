using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Monitoring;

/// <summary>What the scraper needs of a load balancer to judge its health and label its series.</summary>
public sealed record MonitoredLoadBalancer(
    long Id,
    string Name,
    ProvisioningStatus Provisioning,
    string? ProvisioningReason,
    bool ChecksEnabled,
    Algorithm Algorithm,
    IReadOnlyList<MonitoredBackend> Backends)
{
    /// <summary>HAProxy's slowstart, if set: a server that just came up reports a ramping weight meanwhile.</summary>
    public int? SlowStartMs { get; init; }

    /// <summary>Health check interval plus timeout: by then every server has had a check with the current settings.</summary>
    public TimeSpan CheckCycle { get; init; }

    /// <summary>Every load balancer with its backends, by id: one light query per scrape.</summary>
    public static async Task<IReadOnlyList<MonitoredLoadBalancer>> LoadAllAsync(LbaasDb db, CancellationToken ct)
    {
        var rows = await db.LoadBalancers.AsNoTracking()
            .OrderBy(l => l.Id)
            .Select(l => new
            {
                l.Id,
                l.Name,
                l.Status.ProvisioningStatus,
                l.Status.Reason,
                l.HealthCheck.Enabled,
                l.Algorithm,
                l.SlowStartMs,
                l.HealthCheck.IntervalMs,
                l.HealthCheck.TimeoutMs,
                Backends = l.Backends.OrderBy(b => b.Id)
                    .Select(b => new MonitoredBackend(b.Id, b.Name, b.Host, b.Port, b.Weight, b.Backup, b.State, b.RemoveBy != null))
                    .ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new MonitoredLoadBalancer(r.Id, r.Name, r.ProvisioningStatus, r.Reason, r.Enabled, r.Algorithm, r.Backends) { SlowStartMs = r.SlowStartMs, CheckCycle = TimeSpan.FromMilliseconds(r.IntervalMs + r.TimeoutMs) }).ToList();
    }
}

/// <summary>A backend as the scraper sees it.</summary>
/// <remarks>Removing: Being drained away before removal.</remarks>
public sealed record MonitoredBackend(long Id, string? Name, string Host, int Port, int Weight, bool Backup, BackendState State, bool Removing)
{
    /// <summary>The name people know it by: its name, else host:port.</summary>
    public string Label => Name ?? Lbaas.HaProxy.Values.ConfigValueRules.FormatEndpoint(Host, Port);
}
