using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// Two frontends on the same address and port would not fail: HAProxy binds with SO_REUSEPORT,
/// so both would listen and silently share the traffic. The renderer refuses that model instead.
/// </summary>
internal static class BindConflicts
{
    public static void ThrowIfAny(ConfigModel model)
    {
        var binds = model.LoadBalancers
            .Select(lb => (Name: Naming.Proxy(lb.Id), lb.BindAddress, lb.Port))
            .ToList();
        if (model.Stats.Enabled)
        {
            binds.Add(("stats", model.Stats.BindAddress, model.Stats.Port));
        }
        foreach (var group in binds.GroupBy(b => b.Port))
        {
            var list = group.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    if (BindAddresses.Overlap(list[i].BindAddress, list[j].BindAddress))
                    {
                        throw new ConfigValueException(
                            $"load_balancers[{list[j].Name}].port",
                            $"{list[j].BindAddress}:{group.Key} overlaps {list[i].Name} on {list[i].BindAddress}:{group.Key}.");
                    }
                }
            }
        }
    }
}
