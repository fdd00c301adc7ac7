using System.Net;
using System.Net.Sockets;
using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Applying;

/// <summary>One frontend's endpoint in a model; <see cref="LoadBalancerId"/> is null for the stats frontend.</summary>
internal sealed record FrontendBind(long? LoadBalancerId, ListenEndpoint Endpoint)
{
    public string Owner => LoadBalancerId is { } id ? Naming.Proxy(id) : "stats";

    /// <summary>The model's binds that the running worker does not hold yet: the ones a reload would have to bind.</summary>
    public static IReadOnlyList<FrontendBind> New(ConfigModel model, LiveState live)
    {
        var held = live.HeldBinds();
        var binds = model.LoadBalancers.Select(lb => Create(lb.Id, lb.BindAddress, lb.Port));
        if (model.Stats.Enabled)
        {
            binds = binds.Append(Create(null, model.Stats.BindAddress, model.Stats.Port));
        }
        return binds
            .OfType<FrontendBind>()
            .Where(b => !held.Any(h => h.Overlaps(b.Endpoint)))
            .ToList();
    }

    /// <summary>Probes the binds; the ones that fail, each with the OS's reason.</summary>
    public static IReadOnlyList<(FrontendBind Bind, SocketException Error)> Unbindable(IEnumerable<FrontendBind> binds) =>
        binds.Select(b => (Bind: b, Error: PortProbe.TryBind(b.Endpoint)))
            .Where(p => p.Error is not null)
            .Select(p => (p.Bind, p.Error!))
            .ToList();

    // The renderer has already refused anything that is not an IP literal.
    private static FrontendBind? Create(long? id, string address, int port) =>
        IPAddress.TryParse(address, out var ip) ? new FrontendBind(id, new ListenEndpoint(ip, port)) : null;
}
