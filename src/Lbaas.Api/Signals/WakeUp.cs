using System.Threading.Channels;

namespace Lbaas.Api.Signals;

/// <summary>
/// Wakes one background loop; wake-ups coalesce: any number of <see cref="Wake"/> calls before the
/// loop takes one (<see cref="TryTake"/>) are one wake-up (a bounded channel of one that drops
/// further writes). The loop takes it just before it reads the state it acts on, so a wake-up
/// after that read is never lost: it is left for the next round.
/// </summary>
public class WakeUp
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Wake() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Takes the pending wake-up; false when there was none.</summary>
    public bool TryTake() => _wakeUps.Reader.TryRead(out _);

    /// <summary>
    /// Waits for a wake-up, without taking it, for at most <paramref name="timeout"/> on
    /// <paramref name="time"/>. True on a wake-up, false once the timeout has passed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var delay = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, delay.Token);
        try
        {
            return await _wakeUps.Reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
