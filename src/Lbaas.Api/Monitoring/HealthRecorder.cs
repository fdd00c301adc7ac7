using System.Collections.Concurrent;
using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// Writes health to PostgreSQL only when it changes: the current status and reason of every load
/// balancer and backend, and a row in <c>status_transitions</c> for every change of status. It
/// remembers what it wrote, so a scrape with nothing new costs no write at all.
/// </summary>
public sealed class HealthRecorder(IServiceScopeFactory scopes, IOptions<MonitoringOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private volatile ConcurrentDictionary<long, Recorded<OperatingStatus>>? _loadBalancers;
    private volatile ConcurrentDictionary<long, Recorded<BackendOperatingStatus>>? _backends;
    private DateTimeOffset _nextPrune;

    // When each status change not yet written was first seen: a change that waits for PostgreSQL
    // to come back is recorded at the time it happened, not at the time it could be written.
    // Replaced whole, never changed once published: the status endpoint reads them.
    private volatile Dictionary<long, (OperatingStatus Status, DateTimeOffset At)> _lbSeen = [];
    private volatile Dictionary<long, (BackendOperatingStatus Status, DateTimeOffset At)> _backendSeen = [];

    public async Task RecordAsync(MonitoringView view, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LbaasDb>();
        if (_loadBalancers is null || _backends is null)
        {
            (_loadBalancers, _backends) = await LoadAsync(db, ct);
        }
        var at = view.Stats.At;
        var lbRows = new List<LoadBalancerChange>();
        var backendRows = new List<BackendChange>();
        var lbSeenNow = new Dictionary<long, (OperatingStatus Status, DateTimeOffset At)>();
        var backendSeenNow = new Dictionary<long, (BackendOperatingStatus Status, DateTimeOffset At)>();
        foreach (var health in view.Health.Values)
        {
            var known = _loadBalancers.GetValueOrDefault(health.Id);
            if (known?.Status != health.Status || known.Reason != health.Reason)
            {
                var moved = known?.Status != health.Status;
                var changedAt = moved && _lbSeen.TryGetValue(health.Id, out var seen) && seen.Status == health.Status ? seen.At : at;
                if (moved)
                {
                    lbSeenNow[health.Id] = (health.Status, changedAt);
                }
                lbRows.Add(new LoadBalancerChange(health.Id, known is null ? null : StatusNames.Of(known.Status), health.Status, health.Reason, moved, changedAt));
            }
            foreach (var b in health.Backends)
            {
                if (b.Status is not { } status)
                {
                    continue;
                }
                var before = _backends.GetValueOrDefault(b.Backend.Id);
                if (before?.Status != status || before.Reason != b.Reason)
                {
                    // HAProxy knows how long ago the server changed; within a scrape window, or on
                    // the first scrape after a start (the change may be older than this process).
                    var window = view.Stats.Window > TimeSpan.Zero ? view.Stats.Window.TotalSeconds : double.MaxValue;
                    var since = before?.Status == status ? at : at - TimeSpan.FromSeconds(Math.Min(b.Row?.LastChangeSeconds ?? 0, window));
                    if (before?.Status != status)
                    {
                        since = _backendSeen.TryGetValue(b.Backend.Id, out var seen) && seen.Status == status && seen.At < since ? seen.At : since;
                        backendSeenNow[b.Backend.Id] = (status, since);
                    }
                    backendRows.Add(new BackendChange(health.Id, b.Backend.Id, before is null ? null : StatusNames.Of(before.Status), status, b.Reason, since, before?.Status != status));
                }
            }
        }
        (_lbSeen, _backendSeen) = (lbSeenNow, backendSeenNow);
        if (lbRows.Count > 0 || backendRows.Count > 0)
        {
            await WriteAsync(db, lbRows, backendRows, ct);
            foreach (var row in lbRows)
            {
                var since = row.Transition ? row.At : _loadBalancers.GetValueOrDefault(row.Id)?.Since ?? row.At;
                _loadBalancers[row.Id] = new(row.To, row.Reason, since);
            }
            foreach (var row in backendRows)
            {
                var since = row.Transition ? row.Since : _backends.GetValueOrDefault(row.Id)?.Since ?? row.Since;
                _backends[row.Id] = new(row.To, row.Reason, since);
            }
        }
        Forget(view);
        await PruneAsync(db, ct);
    }

    /// <summary>
    /// Since when a load balancer has had <paramref name="status"/>, as recorded or (while the change
    /// waits for PostgreSQL) first seen; null when unknown. Served while PostgreSQL cannot be asked.
    /// </summary>
    public DateTimeOffset? LoadBalancerSince(long id, OperatingStatus status) =>
        _loadBalancers?.GetValueOrDefault(id) is { } r && r.Status == status ? r.Since
        : _lbSeen.TryGetValue(id, out var seen) && seen.Status == status ? seen.At : null;

    /// <summary>Since when a backend has had <paramref name="status"/>, as for <see cref="LoadBalancerSince"/>.</summary>
    public DateTimeOffset? BackendSince(long id, BackendOperatingStatus? status) =>
        _backends?.GetValueOrDefault(id) is { } r && r.Status == status ? r.Since
        : _backendSeen.TryGetValue(id, out var seen) && seen.Status == status ? seen.At : null;

    private static async Task<(ConcurrentDictionary<long, Recorded<OperatingStatus>>, ConcurrentDictionary<long, Recorded<BackendOperatingStatus>>)> LoadAsync(LbaasDb db, CancellationToken ct)
    {
        // A load balancer never seen by a scraper has no operating_since: its first status is a transition from nothing.
        var lbs = await db.LoadBalancers.AsNoTracking().Where(l => l.Status.OperatingSince != null)
            .Select(l => new { l.Id, l.Status.OperatingStatus, l.Status.OperatingReason, l.Status.OperatingSince }).ToListAsync(ct);
        var servers = await db.Backends.AsNoTracking().Where(b => b.Health != null)
            .Select(b => new { b.Id, b.Health!.OperatingStatus, b.Health.Reason, b.Health.Since }).ToListAsync(ct);
        return (new(lbs.Select(l => KeyValuePair.Create(l.Id, new Recorded<OperatingStatus>(l.OperatingStatus, l.OperatingReason ?? "", l.OperatingSince!.Value)))),
            new(servers.Select(b => KeyValuePair.Create(b.Id, new Recorded<BackendOperatingStatus>(b.OperatingStatus, b.Reason, b.Since)))));
    }

    private static async Task WriteAsync(LbaasDb db, List<LoadBalancerChange> lbRows, List<BackendChange> backendRows, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Writers lock a load balancer's row before its statuses and backends; so does this, in id
        // order. Without it, the foreign-key checks below would ask for the load balancer's row
        // while holding a status row a writer waits for: a deadlock, and a 503 for the writer.
        var locked = lbRows.Select(r => r.Id).Concat(backendRows.Select(r => r.LoadBalancerId)).Distinct().Order().ToArray();
        await db.LockLoadBalancersSharedAsync(locked, ct);
        if (lbRows.Count > 0)
        {
            var ids = lbRows.Select(r => r.Id).ToArray();
            var statuses = lbRows.Select(r => r.To.ToString()).ToArray();
            var reasons = lbRows.Select(r => Truncate(r.Reason)).ToArray();
            var moved = lbRows.Select(r => r.Transition).ToArray();
            var times = lbRows.Select(r => r.At).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE load_balancer_statuses s
                SET operating_status = t.status, operating_reason = t.reason,
                    operating_since = CASE WHEN t.moved OR s.operating_since IS NULL THEN t.at ELSE s.operating_since END
                FROM unnest({ids}::bigint[], {statuses}::text[], {reasons}::text[], {moved}::boolean[], {times}::timestamptz[]) AS t(id, status, reason, moved, at)
                WHERE s.load_balancer_id = t.id
                """, ct);
        }
        if (backendRows.Count > 0)
        {
            var ids = backendRows.Select(r => r.Id).ToArray();
            var statuses = backendRows.Select(r => r.To.ToString()).ToArray();
            var reasons = backendRows.Select(r => Truncate(r.Reason)).ToArray();
            var since = backendRows.Select(r => r.Since).ToArray();
            // Joined with backends: one deleted since the scrape is simply skipped.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO backend_statuses (backend_id, operating_status, reason, since)
                SELECT t.id, t.status, t.reason, t.since
                FROM unnest({ids}::bigint[], {statuses}::text[], {reasons}::text[], {since}::timestamptz[]) AS t(id, status, reason, since)
                JOIN backends b ON b.id = t.id
                ON CONFLICT (backend_id) DO UPDATE SET operating_status = excluded.operating_status, reason = excluded.reason,
                    since = CASE WHEN backend_statuses.operating_status = excluded.operating_status THEN backend_statuses.since ELSE excluded.since END
                """, ct);
        }
        var transitions = lbRows.Where(r => r.Transition).Select(r => (r.Id, (long?)null, r.From, StatusNames.Of(r.To), r.Reason, r.At))
            .Concat(backendRows.Where(r => r.Transition).Select(r => (r.LoadBalancerId, (long?)r.Id, r.From, StatusNames.Of(r.To), r.Reason, r.Since)))
            .ToList();
        if (transitions.Count > 0)
        {
            var lbIds = transitions.Select(t => t.Item1).ToArray();
            var backendIds = transitions.Select(t => t.Item2).ToArray();
            var from = transitions.Select(t => t.Item3).ToArray();
            var to = transitions.Select(t => t.Item4).ToArray();
            var reasons = transitions.Select(t => Truncate(t.Item5)).ToArray();
            var times = transitions.Select(t => t.Item6).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO status_transitions (load_balancer_id, backend_id, from_status, to_status, reason, at)
                SELECT t.lb, t.backend, t.from_status, t.to_status, t.reason, t.at
                FROM unnest({lbIds}::bigint[], {backendIds}::bigint[], {from}::text[], {to}::text[], {reasons}::text[], {times}::timestamptz[])
                    AS t(lb, backend, from_status, to_status, reason, at)
                JOIN load_balancers lb ON lb.id = t.lb
                """, ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Drops remembered statuses of load balancers and backends that are gone.</summary>
    private void Forget(MonitoringView view)
    {
        var lbIds = view.LoadBalancers.Select(l => l.Id).ToHashSet();
        var backendIds = view.LoadBalancers.SelectMany(l => l.Backends).Select(b => b.Id).ToHashSet();
        foreach (var id in _loadBalancers!.Keys.Where(id => !lbIds.Contains(id)).ToList())
        {
            _loadBalancers.TryRemove(id, out _);
        }
        foreach (var id in _backends!.Keys.Where(id => !backendIds.Contains(id)).ToList())
        {
            _backends.TryRemove(id, out _);
        }
    }

    private async Task PruneAsync(LbaasDb db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }
        _nextPrune = now + PruneEvery;
        var cutoff = now - options.Value.TransitionRetention;
        await db.StatusTransitions.Where(t => t.At < cutoff).ExecuteDeleteAsync(ct);
    }

    private static string Truncate(string reason) => reason.Length <= 1024 ? reason : reason[..1021] + "...";

    /// <summary>A status as recorded: the status, its reason and since when.</summary>
    private sealed record Recorded<TStatus>(TStatus Status, string Reason, DateTimeOffset Since);

    private sealed record LoadBalancerChange(long Id, string? From, OperatingStatus To, string Reason, bool Transition, DateTimeOffset At);

    private sealed record BackendChange(long LoadBalancerId, long Id, string? From, BackendOperatingStatus To, string Reason, DateTimeOffset Since, bool Transition);
}
