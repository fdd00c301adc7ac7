using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Reconciliation;

/// <summary>Where HAProxy's files and sockets are and how it is driven; the <c>HaProxy</c> configuration section.</summary>
public sealed class HaProxyOptions
{
    public const string Section = "HaProxy";

    /// <summary>haproxy.cfg that Lbaas writes (and HAProxy's master reads on reload).</summary>
    [Required]
    public string ConfigPath { get; set; } = "/var/lib/lbaas/haproxy/haproxy.cfg";

    /// <summary>Master CLI socket (<c>haproxy -W -S</c>).</summary>
    [Required]
    public string MasterSocketPath { get; set; } = "/var/lib/lbaas/haproxy/master.sock";

    /// <summary>The worker's admin-level stats socket, written into the global section.</summary>
    [Required]
    public string AdminSocketPath { get; set; } = "/var/lib/lbaas/haproxy/admin.sock";

    /// <summary>Where server state is saved before every reload.</summary>
    [Required]
    public string ServerStateFile { get; set; } = "/var/lib/lbaas/haproxy/server-state";

    /// <summary>The haproxy binary used for <c>haproxy -c</c>.</summary>
    [Required]
    public string BinaryPath { get; set; } = "haproxy";

    /// <summary>A directory of operator templates replacing the built-in ones (same file names); null uses the built-in set.</summary>
    public string? TemplatesDirectory { get; set; }

    /// <summary>Stats page and Prometheus exporter address and port.</summary>
    [Required]
    public string StatsBindAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int StatsPort { get; set; } = 8404;

    /// <summary>How long old workers may finish their connections after a reload.</summary>
    [Range(1_000, 3_600_000)]
    public int HardStopAfterMs { get; set; } = 30_000;

    /// <summary><c>option idle-close-on-response</c> on http load balancers, so reloads do not fail keep-alive clients; on by default.</summary>
    public bool IdleCloseOnResponse { get; set; } = true;

    /// <summary>Process-wide connection limit; null sizes it to the descriptor limit.</summary>
    [Range(1, 10_000_000)]
    public int? MaxConnections { get; set; }
}
