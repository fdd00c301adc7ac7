using System.Globalization;
using System.Text.RegularExpressions;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// Renders the desired model, leaving out each load balancer whose own values the renderer
/// refuses (a value that slipped past the API, two frontends on one port) so that one bad load
/// balancer does not hold back every other. A refusal that names no load balancer still throws.
/// </summary>
internal static partial class ExcludingRenderer
{
    // "load_balancers[lb_42].servers[b_7].host", or a bind overlap that names the other side.
    [GeneratedRegex(@"\blb_(?<id>\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ProxyName();

    /// <exception cref="ConfigValueException">A value outside every load balancer (global, stats, defaults).</exception>
    public static (ConfigModel Model, string Text) Render(ConfigRenderer renderer, ConfigModel model, ICollection<ExcludedLoadBalancer> excluded)
    {
        // Each refusal removes one load balancer, so this ends within Count + 1 renders.
        var attempts = model.LoadBalancers.Count + 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                return (model, renderer.Render(model));
            }
            catch (ConfigValueException e) when (Blame(e, model) is { } id)
            {
                excluded.Add(new ExcludedLoadBalancer(id, e.Message));
                model = Without(model, [id]);
            }
        }
        throw new InvalidOperationException("Rendering kept refusing load balancers after every one was excluded.");
    }

    public static ConfigModel Without(ConfigModel model, IReadOnlyCollection<long> ids) =>
        model with { LoadBalancers = model.LoadBalancers.Where(lb => !ids.Contains(lb.Id)).ToList() };

    private static long? Blame(ConfigValueException e, ConfigModel model)
    {
        if (e.Field is not { } field || !field.StartsWith("load_balancers[", StringComparison.Ordinal))
        {
            return null;
        }
        var match = ProxyName().Match(field);
        if (!match.Success)
        {
            match = ProxyName().Match(e.Message);
        }
        if (!match.Success || !long.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        return model.LoadBalancers.Any(lb => lb.Id == id) ? id : null;
    }
}
