namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The outcome of a reload, judged from <c>show proc</c> because HAProxy 2.6's <c>reload</c>
/// answers nothing: success is a current worker pid that was not there before.
/// </summary>
public sealed record ReloadResult
{
    public required bool Succeeded { get; init; }
    public required ProcessList Before { get; init; }

    /// <summary>The last <c>show proc</c> seen; null if none answered after the reload.</summary>
    public ProcessList? After { get; init; }

    /// <summary>Why it counts as failed, or null on success.</summary>
    public string? Failure { get; init; }

    public int? NewWorkerPid => Succeeded ? After?.CurrentWorker?.Pid : null;
}
