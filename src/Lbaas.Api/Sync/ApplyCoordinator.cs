using System.Threading.Channels;

namespace Lbaas.Api.Sync;

/// <summary>
/// Connects writers and the reconciler in this process. Writers ask for an apply (requests
/// coalesce: one pending wake-up at most) and wait for the next apply to finish; the reconciler
/// reads the requests and announces every finished apply.
/// </summary>
public sealed class ApplyCoordinator
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private TaskCompletionSource _finished = NewSignal();

    public ChannelReader<bool> Requests => _requests.Reader;

    public void RequestApply() => _requests.Writer.TryWrite(true);

    /// <summary>Completes when the apply after this call finishes. Take it before reading the state you wait on.</summary>
    public Task NextApplyFinished() => Volatile.Read(ref _finished).Task;

    public void ApplyFinished() => Interlocked.Exchange(ref _finished, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
