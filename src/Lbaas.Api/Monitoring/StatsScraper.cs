using Lbaas.Api.Data;
using Lbaas.Api.Reconciliation;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// Reads <c>show info</c> and <c>show stat</c> every <see cref="MonitoringOptions.ScrapeInterval"/>,
/// keeps counters cumulative across reloads, judges health against the desired state, records
/// status changes in PostgreSQL and publishes the result in <see cref="MonitoringState"/>. No
/// exception leaves the loop: HAProxy or PostgreSQL away only means the last view stays.
/// </summary>
public sealed class StatsScraper(
    IServiceScopeFactory scopes,
    RuntimeSocketClient runtime,
    MonitoringState state,
    HealthRecorder recorder,
    IEnumerable<IScrapeObserver> observers,
    IOptions<MonitoringOptions> options,
    IOptions<ApplyOptions> apply,
    TimeProvider time,
    ILogger<StatsScraper> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CumulativeCounters _counters = new();
    private HaProxySnapshot? _previous;
    private IReadOnlyList<MonitoredLoadBalancer> _loadBalancers = [];
    private DateTimeOffset? _desiredStateAt;
    private bool _warned;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!apply.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScrapeAsync(stoppingToken);
                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Scrape failed unexpectedly; the last view stays");
                state.Fail(e.Message, time.GetUtcNow());
                await Task.Delay(options.Value.ScrapeInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Takes the counters of the worker about to be replaced, so that only what it counts after
    /// this read is lost to the reload, and pauses reading HAProxy until the returned lease is
    /// disposed after the reload (the sockets refuse connections while the master re-executes, which
    /// is no scrape failure). Bounded: a
    /// reload never waits more than a second for a scrape under way, and goes on without the
    /// pause then.
    /// </summary>
    public async Task<IAsyncDisposable?> PauseForReloadAsync(CancellationToken ct)
    {
        if (!await WithinASecondAsync(token => _gate.WaitAsync(token), ct))
        {
            return null;
        }
        try
        {
            // A stuck worker must not hold the reload up: the read gets a second of its own.
            if (!await WithinASecondAsync(ReadAsync, ct))
            {
                logger.LogDebug("Counters before the reload unread: HAProxy took over a second to answer");
            }
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            logger.LogDebug("Counters before the reload unread: {Reason}", e.Message);
        }
        catch
        {
            _gate.Release();
            throw;
        }
        return new Lease(_gate);
    }

    /// <summary>False when <paramref name="work"/> did not finish within a second (on the injected clock).</summary>
    private async Task<bool> WithinASecondAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(1), time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, second.Token);
        try
        {
            await work(bounded.Token);
            return true;
        }
        catch (OperationCanceledException) when (second.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// One scrape: HAProxy, then the desired state, health, its record and the observers. The
    /// gate a reload takes covers only reading HAProxy, not the database work after it, so a
    /// reload rarely waits for it. Observers send nothing to HAProxy themselves: what they want
    /// changed goes through the reconciler's queue.
    /// </summary>
    public async Task ScrapeAsync(CancellationToken ct)
    {
        HaProxySnapshot snapshot;
        await _gate.WaitAsync(ct);
        try
        {
            snapshot = await ReadAsync(ct);
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            Failed($"HAProxy's runtime socket does not answer: {e.Message}");
            return;
        }
        finally
        {
            _gate.Release();
        }
        // PostgreSQL away changes nothing above: HAProxy's view goes on, judged against the last desired state read.
        var databaseError = await LoadDesiredAsync(ct);
        var health = _loadBalancers.ToDictionary(lb => lb.Id, lb => HealthEvaluator.Evaluate(lb, snapshot));
        var view = new MonitoringView(snapshot, _loadBalancers, health) { DesiredStateAt = _desiredStateAt };
        // Always tried: it keeps when each change was first seen, and catches up once PostgreSQL answers.
        var recordError = await RecordAsync(view, ct);
        databaseError ??= recordError;
        state.Publish(view with { DatabaseError = databaseError });
        _warned = false;
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnScrapeAsync(view, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "{Observer} failed after a scrape; it runs again after the next one", observer.GetType().Name);
            }
        }
    }

    /// <summary><c>show info</c> around <c>show stat</c>: a reload between them would mix two workers' counters, so that read is done again.</summary>
    private async Task<HaProxySnapshot> ReadAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = time.GetUtcNow();
            var before = await runtime.ShowInfoAsync(ct);
            var rows = await runtime.ShowStatAsync(ct);
            var after = await runtime.ShowInfoAsync(ct);
            if (before.Pid == after.Pid)
            {
                return Snapshot(after, rows, started);
            }
            if (attempt == 3)
            {
                // Mixing two workers' counters would count some twice for good: skip this scrape.
                throw new IOException($"HAProxy's worker changed during each of 3 reads (pid {before.Pid} then {after.Pid}).");
            }
        }
    }

    private HaProxySnapshot Snapshot(ProcessInfo info, IReadOnlyList<StatRow> rows, DateTimeOffset started)
    {
        var at = time.GetUtcNow();
        // Totals as they stood, rows kept while absent from HAProxy included: a row that comes
        // back grows only by what it counted since, not by its whole history.
        var known = rows.Select(StatKey.Of).Distinct().ToDictionary(k => k, k => _counters.TotalOf(k) ?? CounterValues.Zero);
        var totals = _counters.Update(info.Pid, rows, Retain());
        var growth = new Dictionary<StatKey, CounterValues>(totals.Count);
        if (_previous is not null)
        {
            foreach (var (key, total) in totals)
            {
                var before = known[key];
                growth[key] = CounterValues.Of(c => Math.Max(0, total[c] - before[c]));
            }
        }
        var snapshot = new HaProxySnapshot(
            at,
            info,
            rows.GroupBy(StatKey.Of).ToDictionary(g => g.Key, g => g.First()),
            totals,
            growth,
            _previous is null ? TimeSpan.Zero : at - _previous.At,
            _counters.WorkersSeen)
        { ReadStartedAt = started };
        _previous = snapshot;
        return snapshot;
    }

    /// <summary>Keeps the totals of rows that belong to what is still desired (a drained-away server's requests still count for its load balancer).</summary>
    private Func<StatKey, bool>? Retain()
    {
        if (_loadBalancers.Count == 0)
        {
            return null;
        }
        var keep = new HashSet<StatKey>();
        foreach (var lb in _loadBalancers)
        {
            var proxy = Naming.Proxy(lb.Id);
            keep.Add(new StatKey(proxy, HaProxySnapshot.FrontendService));
            keep.Add(new StatKey(proxy, HaProxySnapshot.BackendService));
            foreach (var b in lb.Backends)
            {
                keep.Add(new StatKey(proxy, Naming.Server(b.Id)));
            }
        }
        return keep.Contains;
    }

    /// <summary>Reads the desired state; returns why it could not, or null.</summary>
    private async Task<string?> LoadDesiredAsync(CancellationToken ct)
    {
        try
        {
            var started = time.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            _loadBalancers = await MonitoredLoadBalancer.LoadAllAsync(scope.ServiceProvider.GetRequiredService<LbaasDb>(), ct);
            _desiredStateAt = started;
            return null;
        }
        catch (Exception e) when (DbErrors.IsFromDatabase(e))
        {
            logger.LogWarning("Desired state unreadable ({Reason}); health is judged against the last one read", e.Message);
            return DbErrors.Unavailable(e);
        }
    }

    /// <summary>Records status changes; returns why it could not, or null. Changes not written are written by the next scrape that can.</summary>
    private async Task<string?> RecordAsync(MonitoringView view, CancellationToken ct)
    {
        try
        {
            await recorder.RecordAsync(view, ct);
            return null;
        }
        catch (Exception e) when (DbErrors.IsFromDatabase(e))
        {
            logger.LogWarning("Status changes not recorded ({Reason}); the next scrape tries again", e.Message);
            return DbErrors.Unavailable(e);
        }
    }

    private void Failed(string reason)
    {
        state.Fail(reason, time.GetUtcNow());
        // HAProxy being away is logged once per outage, not every interval.
        logger.Log(_warned ? LogLevel.Debug : LogLevel.Warning, "Scrape failed: {Reason}", reason);
        _warned = true;
    }

    private Task WaitAsync(CancellationToken ct) => WaitForNextScrapeAsync(state, options.Value, time, ct);

    /// <summary>
    /// The pause between scrapes: <see cref="MonitoringOptions.ScrapeInterval"/>, or
    /// <see cref="MonitoringOptions.WaitScrapeInterval"/> while someone hurries the scraper. A
    /// hurry request ends the pause early, followed by one short interval that still paces.
    /// </summary>
    public static async Task WaitForNextScrapeAsync(MonitoringState state, MonitoringOptions options, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var interval = state.Hurrying ? options.WaitScrapeInterval : options.ScrapeInterval;
        var started = time.GetTimestamp();
        // A hurry request only shortens the wait when there is one: the short interval still
        // paces, and the whole pause never exceeds the interval.
        if (await state.WakeUp.WaitAsync(interval, time, ct))
        {
            state.WakeUp.TryTake();
            var left = interval - time.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left < options.WaitScrapeInterval ? left : options.WaitScrapeInterval, time, ct);
            }
        }
    }

    private sealed class Lease(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }
}
