using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// <c>show stat</c>, read at most once per pass of the runner and shared by the rollouts it steps;
/// null while HAProxy cannot be asked (a rollout then waits, it does not roll back).
/// </summary>
public sealed class RolloutStats(Func<CancellationToken, Task<IReadOnlyList<StatRow>>> read, ILogger logger)
{
    private Task<IReadOnlyList<StatRow>?>? _rows;

    public RolloutStats(RuntimeSocketClient runtime, ILogger logger)
        : this(runtime.ShowStatAsync, logger)
    {
    }

    public Task<IReadOnlyList<StatRow>?> ReadAsync(CancellationToken ct) => _rows ??= ReadOnceAsync(ct);

    private async Task<IReadOnlyList<StatRow>?> ReadOnceAsync(CancellationToken ct)
    {
        try
        {
            return await read(ct);
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            logger.LogDebug("Health of rollout backends unknown, HAProxy does not answer: {Reason}", e.Message);
            return null;
        }
    }
}
