using System.Globalization;
using System.Text;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Values;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// Runtime API commands for the runtime path, with the same names (from ids) and the same checked
/// values as haproxy.cfg, so that what runs after them matches what the next reload reads.
/// </summary>
public static class RuntimeCommands
{
    public static string SetWeight(long loadBalancerId, long serverId, int weight) =>
        $"set weight {Naming.ServerPath(loadBalancerId, serverId)} {ConfigGuard.Range(weight, "weight", ConfigValueRules.Weight).ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>ready</c>, <c>drain</c> or <c>maint</c>; the server-state file carries the state over a reload.</summary>
    public static string SetState(long loadBalancerId, long serverId, ServerAdminState state) =>
        $"set server {Naming.ServerPath(loadBalancerId, serverId)} state " + ConfigGuard.Defined(state, "admin_state") switch
        {
            ServerAdminState.Enabled => "ready",
            ServerAdminState.Draining => "drain",
            _ => "maint",
        };

    /// <summary>Moves a server to another IP and port; HAProxy 2.6 takes only IP literals here.</summary>
    public static string SetAddress(long loadBalancerId, long serverId, string ip, int port) =>
        $"set server {Naming.ServerPath(loadBalancerId, serverId)} addr {ConfigGuard.IpLiteral(ip, "host")} port {ConfigGuard.Port(port, "port").ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Adds a server the way loadbalancer.scriban writes it (weight, backup, checks, slow start;
    /// draining as weight 0), then takes it out of the maintenance every added server starts in,
    /// and starts its checks, which <c>add server</c> leaves stopped. The backend must already use
    /// a dynamic algorithm, as every rendered one does.
    /// </summary>
    public static IReadOnlyList<string> AddServer(LoadBalancerModel loadBalancer, ServerModel server)
    {
        ArgumentNullException.ThrowIfNull(loadBalancer);
        ArgumentNullException.ThrowIfNull(server);
        var path = Naming.ServerPath(loadBalancer.Id, server.Id);
        var state = ConfigGuard.Defined(server.AdminState, "admin_state");
        var line = new StringBuilder("add server ").Append(path).Append(' ')
            .Append(ConfigValueRules.FormatEndpoint(ConfigGuard.Host(server.Host, "host"), ConfigGuard.Port(server.Port, "port")))
            .Append(" weight ").Append(ConfigGuard.Range(server.EffectiveWeight, "weight", ConfigValueRules.Weight));
        if (server.Backup)
        {
            line.Append(" backup");
        }
        var check = loadBalancer.HealthCheck;
        if (check.Enabled)
        {
            line.Append(" check inter ").Append(ConfigGuard.Duration(check.IntervalMs, "interval_ms"))
                .Append(" fall ").Append(ConfigGuard.Range(check.Fall, "fall", ConfigValueRules.CheckCount))
                .Append(" rise ").Append(ConfigGuard.Range(check.Rise, "rise", ConfigValueRules.CheckCount));
        }
        if (loadBalancer.SlowStartMs is { } slowStart)
        {
            line.Append(" slowstart ").Append(ConfigGuard.Duration(slowStart, "slow_start_ms"));
        }
        var commands = new List<string> { line.ToString() };
        if (check.Enabled)
        {
            commands.Add($"enable health {path}");
        }
        if (state != ServerAdminState.Disabled)
        {
            commands.Add($"enable server {path}");
        }
        return commands;
    }

    /// <summary>
    /// Removes a server: HAProxy deletes only servers in maintenance with no session attached, so
    /// it goes to maint and what is left of its sessions is cut. The caller drains it before, and
    /// waits for its sessions to end, so normally nothing is left to cut.
    /// </summary>
    public static IReadOnlyList<string> DeleteServer(long loadBalancerId, long serverId)
    {
        var path = Naming.ServerPath(loadBalancerId, serverId);
        return [$"set server {path} state maint", $"shutdown sessions server {path}", $"del server {path}"];
    }
}
