using System.Diagnostics;

namespace Lbaas.Testing;

/// <summary>
/// How tests wait: poll a condition with a bound instead of sleeping and hoping. Probes come
/// 100 ms apart unless the caller says otherwise; some conditions count on that (two answers in
/// a row that agree are an answer that has settled).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until the condition holds; fails the test after the timeout with the last value seen.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var (value, met) = await TryUntil(probe, condition, limit, interval);
        if (!met)
        {
            Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for {what}; last seen: {value}");
        }
        return value;
    }

    /// <summary>Polls until the condition holds or the timeout passes, for a caller with its own answer to a timeout.</summary>
    /// <returns>The last value seen, and whether it met the condition.</returns>
    public static async Task<(T Value, bool Met)> TryUntil<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        var pause = interval ?? DefaultInterval;
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return (value, true);
            }
            if (clock.Elapsed >= timeout)
            {
                return (value, false);
            }
            await Task.Delay(pause);
        }
    }
}
