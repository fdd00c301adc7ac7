using Lbaas.HaProxy.Sockets;

namespace Lbaas.Api.Reconciliation;

/// <summary>Reads <c>show proc</c> from the master, briefly: a status page must not hang while HAProxy is away.</summary>
public sealed class HaProxyProcesses(MasterSocketClient master, string masterSocketPath)
{
    public async Task<(ProcessList? List, string? Error)> ReadAsync(CancellationToken ct)
    {
        try
        {
            return (await master.ShowProcAsync(ct), null);
        }
        catch (Exception e) when (e is IOException or TimeoutException or FormatException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>What writes, statuses and the log say while the master does not answer: one wording wherever it is noticed.</summary>
    public string NotAnswering(string? error) =>
        $"HAProxy's master socket {masterSocketPath} does not answer ({error}); nothing was written.";
}
