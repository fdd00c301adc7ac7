namespace Lbaas.HaProxy.Sockets;

public sealed class MasterSocketOptions
{
    /// <summary>The socket given to HAProxy with <c>-S</c>.</summary>
    public string SocketPath { get; set; } = "";

    /// <summary>Bound on one command, connection included.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries while the socket refuses connections. The master re-executes on every reload and
    /// refuses for tens of milliseconds; the default backoff rides out about 5 s of that.
    /// </summary>
    public int ConnectRetries { get; set; } = 15;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a reload may take before it counts as failed (a new worker takes ~40-190 ms).</summary>
    public TimeSpan ReloadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between two <c>show proc</c> while waiting for the new worker.</summary>
    public TimeSpan ReloadPollInterval { get; set; } = TimeSpan.FromMilliseconds(20);
}
