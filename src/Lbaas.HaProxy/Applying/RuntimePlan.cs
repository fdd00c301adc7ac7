using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Values;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// Whether the running configuration can become the desired one through the runtime API alone,
/// and with which commands. Only servers of load balancers that stay may change: added, removed,
/// re-weighted, drained, disabled, enabled, or moved to another IP literal. Anything else (a
/// global or load-balancer setting, a load balancer added or removed, a backup flag, a DNS name)
/// needs a reload: <see cref="For"/> then returns null.
/// </summary>
public static class RuntimePlan
{
    private static readonly ServerModel[] NoServers = [];

    /// <returns>The commands, in order; null when a reload is needed; empty when nothing differs.</returns>
    public static IReadOnlyList<string>? For(ConfigModel running, ConfigModel desired)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(desired);
        if (running.Global != desired.Global || running.Defaults != desired.Defaults || running.Stats != desired.Stats
            || running.LoadBalancers.Count != desired.LoadBalancers.Count)
        {
            return null;
        }
        var before = running.LoadBalancers.ToDictionary(lb => lb.Id);
        var commands = new List<string>();
        foreach (var lb in desired.LoadBalancers)
        {
            if (!before.TryGetValue(lb.Id, out var old) || (old with { Servers = NoServers }) != (lb with { Servers = NoServers })
                || !AddServerChanges(old, lb, commands))
            {
                return null;
            }
        }
        return commands;
    }

    private static bool AddServerChanges(LoadBalancerModel old, LoadBalancerModel lb, List<string> commands)
    {
        var was = old.Servers.ToDictionary(s => s.Id);
        var wanted = lb.Servers.Select(s => s.Id).ToHashSet();
        // Removals first: a server moving from one id to another on the same address never overlaps itself.
        foreach (var gone in old.Servers.Where(s => !wanted.Contains(s.Id)).OrderBy(s => s.Id))
        {
            commands.AddRange(RuntimeCommands.DeleteServer(lb.Id, gone.Id));
        }
        foreach (var server in lb.Servers.OrderBy(s => s.Id))
        {
            if (!was.TryGetValue(server.Id, out var current))
            {
                // add server takes an address; a DNS name would be resolved by the next reload only.
                if (!ConfigValueRules.IsIpLiteral(server.Host))
                {
                    return false;
                }
                commands.AddRange(RuntimeCommands.AddServer(lb, server));
            }
            else if (!AddChanges(lb.Id, current, server, commands))
            {
                return false;
            }
        }
        return true;
    }

    private static bool AddChanges(long lbId, ServerModel current, ServerModel server, List<string> commands)
    {
        if (current.Backup != server.Backup)
        {
            return false;
        }
        if (current.Host != server.Host || current.Port != server.Port)
        {
            if (!ConfigValueRules.IsIpLiteral(server.Host))
            {
                return false;
            }
            commands.Add(RuntimeCommands.SetAddress(lbId, server.Id, server.Host, server.Port));
        }
        if (current.AdminState == server.AdminState && (current.Weight == server.Weight || server.AdminState == ServerAdminState.Draining))
        {
            return true;
        }
        // The file renders a draining server as weight 0, so after a reload its weight may be 0:
        // coming back to enabled always sets the weight it should have.
        if (server.AdminState != ServerAdminState.Draining)
        {
            commands.Add(RuntimeCommands.SetWeight(lbId, server.Id, server.Weight));
        }
        if (current.AdminState != server.AdminState)
        {
            commands.Add(RuntimeCommands.SetState(lbId, server.Id, server.AdminState));
        }
        return true;
    }
}
