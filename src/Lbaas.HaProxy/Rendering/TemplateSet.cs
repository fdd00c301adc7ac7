using System.Collections.Frozen;
using Scriban;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// The Scriban templates, read once and kept in memory so rendering never touches the disk and
/// stays a pure function of the model. Every template is parsed when the set is loaded: a broken
/// operator template fails at start, not at the first apply.
/// </summary>
public sealed class TemplateSet
{
    /// <summary>The whole file.</summary>
    public const string ConfigTemplate = "haproxy.cfg.scriban";

    /// <summary>One load balancer's frontend and backend; also used for the config preview.</summary>
    public const string LoadBalancerTemplate = "loadbalancer.scriban";

    private const string ResourcePrefix = "Lbaas.HaProxy.Templates.";
    private static readonly Lazy<TemplateSet> BuiltInSet = new(LoadBuiltIn);

    private TemplateSet(string source, IDictionary<string, string> texts)
    {
        Source = source;
        Texts = texts.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var required in new[] { ConfigTemplate, LoadBalancerTemplate })
        {
            if (!Texts.ContainsKey(required))
            {
                throw new InvalidOperationException($"Templates from {source} lack {required}.");
            }
        }
        Parsed = Texts.ToFrozenDictionary(pair => pair.Key, pair => Parse(pair.Key, pair.Value), StringComparer.Ordinal);
    }

    /// <summary>The templates shipped in this assembly (the repository's <c>templates/</c>).</summary>
    public static TemplateSet BuiltIn => BuiltInSet.Value;

    /// <summary>Where the templates came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>Template text by file name, e.g. <c>global.scriban</c>.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; }

    internal FrozenDictionary<string, Template> Parsed { get; }

    /// <summary>
    /// Every <c>*.scriban</c> file of an operator's directory. The directory replaces the built-in
    /// set as a whole, so what renders is exactly what the operator can read there.
    /// </summary>
    public static TemplateSet FromDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        var texts = Directory.EnumerateFiles(full, "*.scriban", SearchOption.TopDirectoryOnly)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);
        return new TemplateSet(full, texts);
    }

    /// <summary>Templates given as text, by file name; for tests and embedding.</summary>
    public static TemplateSet FromTexts(IDictionary<string, string> texts, string source = "memory") => new(source, texts);

    private static TemplateSet LoadBuiltIn()
    {
        var assembly = typeof(TemplateSet).Assembly;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            texts[name[ResourcePrefix.Length..]] = reader.ReadToEnd();
        }
        return new TemplateSet("built-in", texts);
    }

    private Template Parse(string name, string text)
    {
        var template = Template.Parse(text, name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"Template {name} from {Source} does not parse: {string.Join("; ", template.Messages)}");
        }
        return template;
    }
}
