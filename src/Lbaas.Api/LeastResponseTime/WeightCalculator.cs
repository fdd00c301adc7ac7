using Lbaas.HaProxy.Values;

namespace Lbaas.Api.LeastResponseTime;

/// <summary>
/// From one scrape to the next, turns response times into the weights HAProxy should apply to the
/// servers of <c>least_response_time</c> pools (docs/least-response-time.md). No I/O and no clock:
/// time passes only as the scrape windows it is given, so it is tested without HAProxy. Not thread
/// safe: the scraper calls its observers one at a time.
/// <list type="bullet">
/// <item>average: an exponential moving average of rtime, fed only when the server served at least
/// <see cref="ResponseTimeOptions.MinimumSamples"/> requests in the window;</item>
/// <item>factor: (fastest + offset) / (own + offset), between <see cref="ResponseTimeOptions.Floor"/> and 1;
/// without a sample for <see cref="ResponseTimeOptions.StaleAfter"/> it decays back to 1;</item>
/// <item>weight: configured × scale × factor, rounded, at least 1 (0 would read as drained);</item>
/// <item>sent when it differs from show stat's weight by the hysteresis, or when it reaches a bound (full weight, the floor).</item>
/// </list>
/// </summary>
public sealed class WeightCalculator(ResponseTimeOptions options)
{
    private readonly Dictionary<long, ServerState> _servers = [];

    /// <summary>The changes one scrape calls for; the state moves on whether or not they are sent.</summary>
    /// <param name="pools">Every load balancer HAProxy serves, with its servers.</param>
    /// <param name="window">Time since the previous scrape; zero on the first, which only observes (no counter has grown yet).</param>
    public IReadOnlyList<WeightChange> Next(IReadOnlyList<PoolSample> pools, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var changes = new List<WeightChange>();
        if (window <= TimeSpan.Zero)
        {
            return changes;
        }
        var seen = new HashSet<long>();
        foreach (var pool in pools)
        {
            seen.UnionWith(pool.Servers.Select(s => s.BackendId));
            if (pool.Managed)
            {
                Manage(pool, window, changes);
            }
            else
            {
                Restore(pool, changes);
            }
        }
        foreach (var gone in _servers.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _servers.Remove(gone);
        }
        return changes;
    }

    /// <summary>
    /// Full weight for the pool: configured × scale, the scale as large as allowed while every
    /// configured weight still fits in 256. Scaling every server alike does not change leastconn's choice.
    /// </summary>
    public int Scale(PoolSample pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var largest = pool.Servers.Select(s => s.ConfiguredWeight).DefaultIfEmpty(1).Max();
        return Math.Clamp(ConfigValueRules.MaxWeight / Math.Max(1, largest), 1, options.WeightScale);
    }

    private void Manage(PoolSample pool, TimeSpan window, List<WeightChange> changes)
    {
        var scale = Scale(pool);
        var states = pool.Servers.ToDictionary(s => s.BackendId, s => Observe(s, window));
        var recent = pool.Servers.Where(s => s.Adjustable && IsRecent(states[s.BackendId])).ToList();
        double? fastest = recent.Count > 0 ? recent.Min(s => states[s.BackendId].Average!.Value) : null;
        var offset = options.Offset.TotalMilliseconds;
        foreach (var server in pool.Servers)
        {
            var state = states[server.BackendId];
            // A recent adjustable server is among those the fastest was taken from, so there is one.
            var measured = server.Adjustable && IsRecent(state);
            state.Factor = measured
                ? Math.Clamp((fastest!.Value + offset) / (state.Average!.Value + offset), options.Floor, 1)
                : Decay(state.Factor, window);
            if (!server.Adjustable)
            {
                continue;
            }
            state.Owned = true;
            var full = server.ConfiguredWeight * scale;
            var exact = Math.Max(full * state.Factor, 1);
            var target = Round(exact);
            if (ShouldSend(server.CurrentWeight, exact, target, bounds: [full, Round(full * options.Floor)]))
            {
                changes.Add(new WeightChange(
                    pool.LoadBalancerId, pool.Name, server.BackendId, server.Label, server.CurrentWeight, target, full,
                    measured ? WeightCause.ResponseTime : WeightCause.NoRecentSamples,
                    measured ? state.Average : null,
                    measured ? fastest : null));
            }
        }
    }

    /// <summary>The server's state after this window: a new average when it served enough requests to be a fresh sample.</summary>
    private ServerState Observe(ServerSample server, TimeSpan window)
    {
        if (!_servers.TryGetValue(server.BackendId, out var state) || state.Configured != server.ConfiguredWeight)
        {
            // New, or its weight was set by the operator (the applier has set the configured one): start again from it.
            state = new ServerState { Configured = server.ConfiguredWeight };
            _servers[server.BackendId] = state;
        }
        if (server.Adjustable && server.ResponseTimeMs is { } sample && server.Requests >= options.MinimumSamples)
        {
            state.Average = state.Average is { } average && IsRecent(state)
                ? options.Smoothing * sample + (1 - options.Smoothing) * average
                : sample;
            state.SinceSample = TimeSpan.Zero;
        }
        else if (state.SinceSample < TimeSpan.MaxValue - window)
        {
            state.SinceSample += window;
        }
        return state;
    }

    /// <summary>Weights changed by this controller go back to the configured ones, once the server serves (it keeps its weight while down or drained).</summary>
    private void Restore(PoolSample pool, List<WeightChange> changes)
    {
        foreach (var server in pool.Servers)
        {
            if (!_servers.TryGetValue(server.BackendId, out var state))
            {
                continue;
            }
            if (!state.Owned || server.CurrentWeight == server.ConfiguredWeight)
            {
                _servers.Remove(server.BackendId);
            }
            else if (server.Adjustable)
            {
                changes.Add(new WeightChange(
                    pool.LoadBalancerId, pool.Name, server.BackendId, server.Label, server.CurrentWeight, server.ConfiguredWeight, server.ConfiguredWeight, WeightCause.NotManaged));
            }
        }
    }

    /// <summary>
    /// Hysteresis on the unrounded target: it must move a whole weight unit and <see cref="ResponseTimeOptions.Hysteresis"/>
    /// of the current weight away, so that a target hovering between two integers does not flap. The bounds, full
    /// weight and the floor, are always reached exactly: a decaying factor only comes near 1, and the floor is a promise.
    /// </summary>
    private bool ShouldSend(long current, double exact, int target, int[] bounds) =>
        target != current && (bounds.Contains(target) || Math.Abs(exact - current) >= Math.Max(1, options.Hysteresis * current));

    private static int Round(double weight) =>
        (int)Math.Clamp(Math.Round(weight, MidpointRounding.AwayFromZero), 1, ConfigValueRules.MaxWeight);

    private bool IsRecent(ServerState state) => state.Average is not null && state.SinceSample <= options.StaleAfter;

    private double Decay(double factor, TimeSpan window) =>
        1 - (1 - factor) * Math.Pow(0.5, window / options.DecayHalfLife);

    private sealed class ServerState
    {
        public int Configured { get; init; }

        /// <summary>Smoothed rtime, in ms; null before the first sample.</summary>
        public double? Average { get; set; }

        public TimeSpan SinceSample { get; set; } = TimeSpan.MaxValue;

        public double Factor { get; set; } = 1;

        /// <summary>Its weight has been this controller's: restored to the configured one if its pool stops being managed.</summary>
        public bool Owned { get; set; }
    }
}
