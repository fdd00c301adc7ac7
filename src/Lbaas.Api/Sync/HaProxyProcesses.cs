using Lbaas.HaProxy.Sockets;

namespace Lbaas.Api.Sync;

/// <summary>Reads <c>show proc</c> from the master, briefly: a status page must not hang while HAProxy is away.</summary>
public sealed class HaProxyProcesses(MasterSocketClient master)
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
}
