using Lbaas.HaProxy.Config;
using Scriban;
using Scriban.Runtime;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// Turns a <see cref="ConfigModel"/> into haproxy.cfg text. A pure function of the model and the
/// template set: no clock, no disk, no environment, so the same desired state always gives the
/// same bytes and an unchanged state is detected by comparing text.
/// </summary>
public sealed class ConfigRenderer
{
    // Scriban's defaults cap loops at 1,000 iterations and silently truncate output at 1 MiB;
    // 1,000 load balancers of 10 servers pass both. Limits stay, far above any real config,
    // and overflowing one throws instead of truncating.
    private const int LoopLimit = 10_000_000;
    private const int OutputLimit = 256 * 1024 * 1024;

    public ConfigRenderer(ConfigRendererOptions? options = null)
        : this(options?.TemplatesDirectory is { } directory ? TemplateSet.FromDirectory(directory) : TemplateSet.BuiltIn)
    {
    }

    public ConfigRenderer(TemplateSet templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        Templates = templates;
    }

    public TemplateSet Templates { get; }

    /// <summary>The whole haproxy.cfg.</summary>
    /// <exception cref="ConfigValueException">A value that must not reach the file.</exception>
    public string Render(ConfigModel model) => Render(model, Templates);

    /// <summary>Just one load balancer's frontend and backend, as they appear in the whole file.</summary>
    /// <exception cref="KeyNotFoundException">No load balancer with that id in the model.</exception>
    public string RenderLoadBalancer(ConfigModel model, long loadBalancerId)
    {
        ArgumentNullException.ThrowIfNull(model);
        var lb = model.LoadBalancers.FirstOrDefault(l => l.Id == loadBalancerId)
            ?? throw new KeyNotFoundException($"No load balancer {loadBalancerId} in the model.");
        var view = TemplateView.ForLoadBalancer(lb, logging: model.Global.Log is not null);
        return Run(Templates, TemplateSet.LoadBalancerTemplate, view);
    }

    public static string Render(ConfigModel model, TemplateSet templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        return Run(templates, TemplateSet.ConfigTemplate, TemplateView.ForConfig(model));
    }

    private static string Run(TemplateSet templates, string entry, ScriptObject view)
    {
        var context = new TemplateContext
        {
            TemplateLoader = new TemplateSetLoader(templates),
            // A misspelt variable or member in a template must fail, not render an empty token.
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = LoopLimit,
            OutputLimit = OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            NewLine = "\n",
        };
        context.PushGlobal(view);
        return TextTidy.Apply(templates.Parsed[entry].Render(context));
    }
}
