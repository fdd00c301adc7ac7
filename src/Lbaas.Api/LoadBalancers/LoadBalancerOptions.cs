using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.LoadBalancers;

/// <summary>Settings for load balancers, bound from the <c>LoadBalancers</c> configuration section.</summary>
public sealed class LoadBalancerOptions
{
    public const string Section = "LoadBalancers";

    /// <summary>Where frontends bind when a request names no bind_address (LBAAS_BIND_ADDRESS).</summary>
    [Required]
    public string DefaultBindAddress { get; set; } = "127.0.0.1";

    /// <summary>First port handed out when a request names no frontend_port.</summary>
    [Range(1, 65535)]
    public int PortRangeStart { get; set; } = 10000;

    /// <summary>Last port handed out when a request names no frontend_port.</summary>
    [Range(1, 65535)]
    public int PortRangeEnd { get; set; } = 19999;

    /// <summary>The API's own port (LBAAS_API_PORT): no load balancer may take it.</summary>
    [Range(1, 65535)]
    public int ApiPort { get; set; } = 8000;

    /// <summary>Further ports no load balancer may take.</summary>
    public List<int> ReservedPorts { get; set; } = [];

    /// <summary>The API's port, HAProxy's stats port (<paramref name="statsPort"/>) and the listed ones.</summary>
    public bool IsReserved(int port, int statsPort) => port == ApiPort || port == statsPort || ReservedPorts.Contains(port);
}
