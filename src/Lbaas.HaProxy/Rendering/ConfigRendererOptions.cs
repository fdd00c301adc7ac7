namespace Lbaas.HaProxy.Rendering;

public sealed class ConfigRendererOptions
{
    /// <summary>
    /// An operator's own templates directory (all of <c>haproxy.cfg.scriban</c> and its partials);
    /// null uses the built-in templates.
    /// </summary>
    public string? TemplatesDirectory { get; set; }
}
