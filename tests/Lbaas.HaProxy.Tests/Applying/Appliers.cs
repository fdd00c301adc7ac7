using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Rendering;

namespace Lbaas.HaProxy.Tests.Applying;

internal static class Appliers
{
    /// <summary>An applier driving the given test HAProxy, with its own files and sockets.</summary>
    public static ConfigApplier For(TestHaProxy haproxy, TemplateSet? templates = null, Action<ConfigApplierOptions>? configure = null)
    {
        var options = new ConfigApplierOptions
        {
            ConfigPath = haproxy.Writer.ConfigPath,
            MasterSocketPath = haproxy.MasterSocketPath,
            AdminSocketPath = haproxy.AdminSocketPath,
            ServerStateFile = haproxy.ServerStatePath,
            BinaryPath = HaProxyBinary.Require(),
            ValidationTimeout = TimeSpan.FromSeconds(20),
            ReloadConfirmationTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new ConfigApplier(options, new ConfigRenderer(templates ?? TemplateSet.BuiltIn));
    }

    /// <summary>The built-in templates with one of them changed, e.g. to emit something HAProxy refuses.</summary>
    public static TemplateSet BuiltInWith(string name, Func<string, string> change)
    {
        var texts = TemplateSet.BuiltIn.Texts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        texts[name] = change(texts[name]);
        return TemplateSet.FromTexts(texts, "test");
    }
}
