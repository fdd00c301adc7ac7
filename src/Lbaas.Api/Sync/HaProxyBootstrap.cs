using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Writing;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Sync;

/// <summary>
/// <c>Lbaas.Api haproxy-bootstrap</c>: writes a configuration with no load balancers (global,
/// defaults, stats) for HAProxy to start on. Starting on the full last configuration could fail
/// on a port another process took meanwhile; from the bootstrap, the reconciler applies the
/// desired state with its port checks, leaving out only what cannot be bound.
/// </summary>
public static class HaProxyBootstrap
{
    public const string Command = "haproxy-bootstrap";

    public static async Task WriteAsync(IServiceProvider services, CancellationToken ct)
    {
        var options = services.GetRequiredService<IOptions<HaProxyOptions>>().Value;
        var renderer = services.GetRequiredService<ConfigRenderer>();
        var text = renderer.Render(ConfigModelMapper.From([], options, DescriptorLimit.Current));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.ConfigPath))!);
        await AtomicFile.WriteAllTextAsync(options.ConfigPath, text, ct);
    }
}
