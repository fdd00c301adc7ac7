using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails the test after the timeout with the last value seen.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        T value;
        do
        {
            value = await probe();
            if (condition(value))
            {
                return value;
            }
            await Task.Delay(100);
        }
        while (clock.Elapsed < limit);
        Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting for {what}; last seen: {value}");
        return value;
    }
}
