using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Writing;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// <c>Lbaas.Api haproxy-bootstrap</c>: writes a configuration with no load balancers (global,
/// defaults, stats) for HAProxy to start on. Starting on the full last configuration could fail
/// on a port another process took meanwhile; from the bootstrap, the reconciler applies the
/// desired state with its port checks, leaving out only what cannot be bound.
/// <c>haproxy-bootstrap &lt;path&gt;</c> writes it there instead of <c>HaProxy:ConfigPath</c>: the
/// supervisor's last fallback (<c>deploy/haproxy/supervise.sh --bootstrap</c>).
/// </summary>
public static class HaProxyBootstrap
{
    public const string Command = "haproxy-bootstrap";

    public static async Task WriteAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken ct)
    {
        var options = services.GetRequiredService<IOptions<HaProxyOptions>>().Value;
        var renderer = services.GetRequiredService<ConfigRenderer>();
        var text = renderer.Render(ConfigModelMapper.From([], options, DescriptorLimit.Current));
        var at = args.ToList().IndexOf(Command);
        var path = Path.GetFullPath(at >= 0 && at + 1 < args.Count ? args[at + 1] : options.ConfigPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAllTextAsync(path, text, ct);
    }
}
