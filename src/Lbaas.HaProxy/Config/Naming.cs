using System.Globalization;

namespace Lbaas.HaProxy.Config;

/// <summary>
/// The only way names reach haproxy.cfg and the runtime API: built from database ids, so no
/// user text can become a section or server name.
/// </summary>
public static class Naming
{
    public static string Proxy(long loadBalancerId) => "lb_" + loadBalancerId.ToString(CultureInfo.InvariantCulture);

    public static string Server(long serverId) => "b_" + serverId.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>lb_42/b_7</c>, the way the runtime API addresses a server.</summary>
    public static string ServerPath(long loadBalancerId, long serverId) => Proxy(loadBalancerId) + "/" + Server(serverId);
}
