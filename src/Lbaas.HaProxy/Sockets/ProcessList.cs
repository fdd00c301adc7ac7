namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The master's <c>show proc</c>: the master, the current worker(s), old workers still finishing
/// connections after a reload (bounded by hard-stop-after), and external programs.
/// </summary>
public sealed record ProcessList
{
    public required HaProxyProcess Master { get; init; }

    /// <summary>
    /// HAProxy 2.6's <c>[failed: N]</c> on the master line: reloads that failed since the last one
    /// that succeeded (a success resets it to 0). Null when the version does not print it.
    /// </summary>
    public int? FailedReloads { get; init; }

    public IReadOnlyList<HaProxyProcess> Workers { get; init; } = [];
    public IReadOnlyList<HaProxyProcess> OldWorkers { get; init; } = [];
    public IReadOnlyList<HaProxyProcess> Programs { get; init; } = [];

    /// <summary>The worker serving new connections (HAProxy 2.5+ runs exactly one).</summary>
    public HaProxyProcess? CurrentWorker => Workers.Count > 0 ? Workers[0] : null;
}
