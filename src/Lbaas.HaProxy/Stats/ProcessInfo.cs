namespace Lbaas.HaProxy.Stats;

/// <summary>
/// The worker's <c>show info</c>. <see cref="Pid"/> changes with every reload: that is how a
/// reader knows the counters of <c>show stat</c> started again from zero.
/// </summary>
public sealed record ProcessInfo
{
    public int Pid { get; init; }
    public string Version { get; init; } = "";
    public long UptimeSeconds { get; init; }
    public long CurrentConnections { get; init; }
    public long MaxConnections { get; init; }

    /// <summary>Connections and requests since this worker started.</summary>
    public long CumulativeConnections { get; init; }

    public long CumulativeRequests { get; init; }
}
