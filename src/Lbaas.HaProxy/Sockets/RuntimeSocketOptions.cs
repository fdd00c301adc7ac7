namespace Lbaas.HaProxy.Sockets;

public sealed class RuntimeSocketOptions
{
    /// <summary>The worker's admin-level <c>stats socket</c>.</summary>
    public string SocketPath { get; set; } = "";

    /// <summary>Bound on one connection: its commands, their replies, everything.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries while the socket refuses connections (nothing was sent, so it is safe).</summary>
    public int ConnectRetries { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest joined line sent on one connection. 1,000 commands (20 KB) on one line worked on
    /// HAProxy 2.6, but that is past its 16 KB buffer; staying well below costs little.
    /// </summary>
    public int MaxLineLength { get; set; } = 8 * 1024;
}
