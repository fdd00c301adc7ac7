using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Lbaas.HaProxy.Config;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.LoadBalancers;

/// <summary>
/// Stores validated load balancers: name and port conflicts, port allocation, backend set
/// replacement. The database's unique indexes back every check made here, so a race between two
/// writers ends in the same 409 as a sequential conflict.
/// </summary>
public sealed class LoadBalancerWriter(
    LbaasDb db, IOptions<LoadBalancerOptions> options, IOptions<HaProxyOptions> haproxy, IOptions<ApplyOptions> apply, RevisionRecorder revisions,
    WriteCommit commit, TimeProvider time)
{
    private const long PortAllocationLock = 0x4c42_4141_5350; // "LBAASP": one lock id for all port allocations

    public string DefaultBindAddress => options.Value.DefaultBindAddress;

    public async Task<Results<Created<LoadBalancerResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ValidLoadBalancer valid, RevisionCause cause, CancellationToken ct)
    {
        if (await NameConflictAsync(valid.Name, null, ct) is { } nameConflict)
        {
            return nameConflict;
        }
        // Port checks read other rows (wildcard overlaps are not covered by the unique index) and
        // allocation picks the lowest free port: both are serialized on one advisory lock held
        // until commit, so two creates can never take overlapping ports.
        await using var allocation = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await LockPortsAsync(ct);
        var port = valid.FrontendPort ?? await AllocatePortAsync(ct);
        if (port is null)
        {
            return Problems.Conflict("frontend_port", $"No free port is left in {options.Value.PortRangeStart}-{options.Value.PortRangeEnd}; give a frontend_port.");
        }
        // An allocated port is free on every address already; only a requested one needs checking.
        if (valid.FrontendPort is not null && await PortConflictAsync(port.Value, valid.BindAddress, null, ct) is { } portConflict)
        {
            return portConflict;
        }
        var now = time.GetUtcNow();
        var lb = new LoadBalancer
        {
            Name = valid.Name,
            BindAddress = valid.BindAddress,
            Status = new LoadBalancerStatus { ChangedAt = now },
            CreatedAt = now,
        };
        Apply(lb, valid, port.Value, now);
        db.LoadBalancers.Add(lb);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.UniqueViolation(e) is { } constraint)
        {
            // A concurrent create took the name between our check and our insert.
            db.ChangeTracker.Clear();
            return await ConflictFromAsync(constraint, valid, port.Value, null, ct);
        }
        await revisions.RecordAsync(lb.Id, cause, ct);
        var created = TypedResults.Created(LoadBalancerEndpoints.Location(lb.Id), lb.ToResponse());
        if (allocation is not null)
        {
            await commit.CommitAsync(allocation, created.Location!, created.Value!, lb.Version, ct);
        }
        return created;
    }

    /// <summary>Commits an update made by <see cref="UpdateAsync"/> (the load balancer tracked, as written).</summary>
    public Task CommitAsync(IDbContextTransaction tx, LoadBalancer lb, CancellationToken ct) =>
        commit.CommitAsync(tx, LoadBalancerEndpoints.Location(lb.Id), lb.ToResponse(), lb.Version, ct);

    /// <summary>
    /// Replaces the settings of <paramref name="lb"/> (tracked, with its backends loaded). The
    /// caller holds a transaction and the load balancer's row lock. The change is recorded as a
    /// revision with <paramref name="cause"/>.
    /// </summary>
    public async Task<ProblemHttpResult?> UpdateAsync(LoadBalancer lb, ValidLoadBalancer valid, RevisionCause cause, CancellationToken ct)
    {
        if (await NameConflictAsync(valid.Name, lb.Id, ct) is { } nameConflict)
        {
            return nameConflict;
        }
        var port = valid.FrontendPort ?? lb.FrontendPort;
        if (port != lb.FrontendPort || valid.BindAddress != lb.BindAddress)
        {
            await LockPortsAsync(ct);
            if (await PortConflictAsync(port, valid.BindAddress, lb.Id, ct) is { } portConflict)
            {
                return portConflict;
            }
        }
        var now = time.GetUtcNow();
        // Marked changed the one way every write is (a new revision, PENDING_UPDATE), then read
        // back before the settings change: the row's version moved with the mark.
        if (!await db.MarkChangedAsync(lb.Id, now, ct))
        {
            return Problems.NotFound("Load balancer", lb.Id);
        }
        await db.Entry(lb).ReloadAsync(ct);
        await db.Entry(lb.Status).ReloadAsync(ct);
        Apply(lb, valid, port, now);
        lb.Name = valid.Name;
        lb.BindAddress = valid.BindAddress;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.UniqueViolation(e) is { } constraint)
        {
            db.ChangeTracker.Clear();
            return await ConflictFromAsync(constraint, valid, port, lb.Id, ct);
        }
        await revisions.RecordAsync(lb.Id, cause, ct);
        return null;
    }

    /// <summary>
    /// Makes the backends of <paramref name="lb"/> exactly <paramref name="wanted"/>, matching by
    /// host:port so unchanged servers keep their ids and their live state in HAProxy. Servers left
    /// out drain and are removed like a DELETE with the default drain timeout; servers being
    /// removed that are wanted again are taken back.
    /// </summary>
    public void ReplaceBackends(LoadBalancer lb, IReadOnlyList<ValidBackend> wanted, DateTimeOffset now)
    {
        var current = lb.Backends.ToDictionary(b => (b.Host, b.Port));
        var keep = wanted.Select(w => (w.Host, w.Port)).ToHashSet();
        foreach (var gone in lb.Backends.Where(b => !keep.Contains((b.Host, b.Port))))
        {
            BackendRemoval.Start(gone, now, apply.Value.DrainTimeout);
        }
        foreach (var w in wanted)
        {
            if (current.TryGetValue((w.Host, w.Port), out var existing))
            {
                if (existing.RemoveBy is not null || existing.ToRequest() != new BackendRequest(w.Host, w.Port, w.Weight, w.Name, w.Backup, w.State))
                {
                    w.ApplyTo(existing);
                    existing.UpdatedAt = now;
                }
                continue;
            }
            var backend = new Backend { Host = w.Host, CreatedAt = now, UpdatedAt = now };
            w.ApplyTo(backend);
            lb.Backends.Add(backend);
        }
    }

    private void Apply(LoadBalancer lb, ValidLoadBalancer valid, int port, DateTimeOffset now)
    {
        lb.Description = valid.Description;
        lb.Protocol = valid.Protocol;
        lb.FrontendPort = port;
        lb.Algorithm = valid.Algorithm;
        lb.HealthCheck = valid.HealthCheck;
        lb.Timeouts = valid.Timeouts;
        lb.MaxConnections = valid.MaxConnections;
        lb.Labels = valid.Labels;
        lb.SlowStartMs = valid.SlowStartMs;
        lb.UpdatedAt = now;
        if (valid.Backends is not null)
        {
            ReplaceBackends(lb, valid.Backends, now);
        }
    }

    /// <summary>Needs a transaction: the lock is released at commit or rollback.</summary>
    private async Task LockPortsAsync(CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PortAllocationLock})", ct);

    private bool IsReserved(int port) => options.Value.IsReserved(port, haproxy.Value.StatsPort);

    private async Task<ProblemHttpResult?> NameConflictAsync(string name, long? self, CancellationToken ct)
    {
        var existing = await db.LoadBalancers.AsNoTracking()
            .Where(l => l.Name == name && l.Id != self)
            .Select(l => (long?)l.Id)
            .FirstOrDefaultAsync(ct);
        return existing is null ? null : Problems.Conflict("name", $"A load balancer named '{name}' already exists (id {existing}).", existing);
    }

    private async Task<ProblemHttpResult?> PortConflictAsync(int port, string bindAddress, long? self, CancellationToken ct)
    {
        if (IsReserved(port))
        {
            return Problems.Conflict("frontend_port", $"Port {port} is reserved (the API's own port, HAProxy's stats port, or LoadBalancers:ReservedPorts).");
        }
        var sharing = await db.LoadBalancers.AsNoTracking()
            .Where(l => l.FrontendPort == port && l.Id != self)
            .Select(l => new { l.Id, l.BindAddress })
            .ToListAsync(ct);
        var other = sharing.FirstOrDefault(l => BindAddresses.Overlap(l.BindAddress, bindAddress));
        return other is null
            ? null
            : Problems.Conflict("frontend_port", $"Port {port} on {bindAddress} is already used by load balancer {other.Id} ({other.BindAddress}).", other.Id);
    }

    private async Task<int?> AllocatePortAsync(CancellationToken ct)
    {
        var (first, last) = (options.Value.PortRangeStart, options.Value.PortRangeEnd);
        var used = (await db.LoadBalancers.AsNoTracking()
            .Where(l => l.FrontendPort >= first && l.FrontendPort <= last)
            .Select(l => l.FrontendPort)
            .ToListAsync(ct)).ToHashSet();
        for (var port = first; port <= last; port++)
        {
            if (!used.Contains(port) && !IsReserved(port))
            {
                return port;
            }
        }
        return null;
    }

    private async Task<ProblemHttpResult> ConflictFromAsync(string constraint, ValidLoadBalancer valid, int port, long? self, CancellationToken ct) =>
        constraint switch
        {
            "ix_load_balancers_name" =>
                await NameConflictAsync(valid.Name, self, ct) ?? Problems.Conflict("name", $"A load balancer named '{valid.Name}' already exists."),
            "ix_load_balancers_bind_address_frontend_port" =>
                await PortConflictAsync(port, valid.BindAddress, self, ct) ?? Problems.Conflict("frontend_port", $"Port {port} is already used."),
            _ => BackendSetConflict(),
        };

    /// <summary>Two backends would share a name for a moment, e.g. when a PUT swaps two names: the unique index refuses it.</summary>
    public static ProblemHttpResult BackendSetConflict() =>
        Problems.Conflict("backends", "Two backends would share a host:port or a name; to swap names, rename in two steps.");
}
