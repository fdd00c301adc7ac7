namespace Lbaas.Api.Signals;

/// <summary>
/// Tells waiters that a round of a background loop finished (an apply, a scrape): the task of
/// <see cref="Next"/> completes at the following <see cref="Fire"/>. <see cref="WaitUntilAsync"/>
/// is the one wait built on it.
/// </summary>
public sealed class Pulse
{
    private TaskCompletionSource _next = New();

    /// <summary>Completes at the next <see cref="Fire"/>. Take it before reading the state you wait on.</summary>
    public Task Next() => Volatile.Read(ref _next).Task;

    public void Fire() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    /// <summary>
    /// Asks <paramref name="check"/> now and after every pulse until it answers (true or false), for
    /// at most <paramref name="timeout"/> on <paramref name="time"/>; once the time is up it asks a
    /// last time, and no answer then means false.
    /// </summary>
    /// <param name="check">The answer, or null while it cannot tell yet.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="time">The clock of <paramref name="timeout"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<bool> WaitUntilAsync(Func<CancellationToken, ValueTask<bool?>> check, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        while (true)
        {
            // Taken before the check: a pulse between the check and the wait is not missed.
            var pulse = Next();
            if (await check(ct) is { } answer)
            {
                return answer;
            }
            try
            {
                await pulse.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return await check(ct) ?? false;
            }
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
