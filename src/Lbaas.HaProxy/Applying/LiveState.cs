using Lbaas.HaProxy.Sockets;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// What HAProxy runs before an apply: the master's process list, the file on disk, and the
/// last-good copy, which is only ever written once a worker was seen running that text.
/// </summary>
internal sealed record LiveState(ProcessList Processes, string? Text, string? LastGood)
{
    /// <summary>
    /// The text is on disk, was confirmed by a reload (the last-good copy), and a worker runs.
    /// Disk alone is not enough: a crash between writing and reloading leaves a file no worker loaded.
    /// </summary>
    public bool Serves(string text) =>
        Processes.CurrentWorker is not null
        && string.Equals(Text, text, StringComparison.Ordinal)
        && string.Equals(LastGood, text, StringComparison.Ordinal);

    /// <summary>Endpoints our worker already listens on; without a worker, none.</summary>
    public IReadOnlyList<ListenEndpoint> HeldBinds() => Processes.CurrentWorker is null
        ? []
        : [.. ListenEndpoint.FromConfigText(Text ?? ""), .. ListenEndpoint.FromConfigText(LastGood ?? "")];
}
