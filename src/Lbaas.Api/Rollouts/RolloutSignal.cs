using System.Threading.Channels;

namespace Lbaas.Api.Rollouts;

/// <summary>Wakes the runner when a rollout is started or asked to roll back; wake-ups coalesce.</summary>
public sealed class RolloutSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Wake() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Returns on a wake-up or once <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var delay = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, delay.Token);
        try
        {
            await _wakeUps.Reader.WaitToReadAsync(linked.Token);
            _wakeUps.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Time to look again.
        }
    }
}
