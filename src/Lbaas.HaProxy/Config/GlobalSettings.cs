namespace Lbaas.HaProxy.Config;

/// <summary>
/// The <c>global</c> section. The master CLI socket is not here: it is given on the command
/// line (<c>-S</c>) so that it exists before the configuration is parsed and survives a
/// configuration that fails to load.
/// </summary>
public sealed record GlobalSettings
{
    /// <summary>The worker's admin-level stats socket (runtime API).</summary>
    public required string AdminSocketPath { get; init; }

    /// <summary>Where <c>show servers state</c> is dumped before a reload and read back after it.</summary>
    public required string ServerStateFile { get; init; }

    /// <summary>Bounds how long old workers keep serving their last connections after a reload.</summary>
    public int HardStopAfterMs { get; init; } = 30_000;

    /// <summary>Process-wide connection limit; the caller sizes it to the descriptor limit.</summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>Null renders no log lines at all (HAProxy warns about log formats without a target).</summary>
    public LogSettings? Log { get; init; }
}
