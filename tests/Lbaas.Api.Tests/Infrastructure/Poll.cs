namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>Bounded polling for conditions that become true asynchronously (health checks, drains).</summary>
public static class Poll
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false after <paramref name="timeout"/> (default 10 s).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return await condition();
    }
}
