using Lbaas.HaProxy.Rendering;
using Scriban.Syntax;

namespace Lbaas.HaProxy.Tests.Rendering;

public sealed class TemplateSetTests
{
    private static string RepositoryTemplates => Path.Combine(AppContext.BaseDirectory, "templates");

    [Fact]
    public void TemplatesDirectory_RepositoryTemplates_RenderLikeTheBuiltInOnes()
    {
        var fromDirectory = new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = RepositoryTemplates });

        Assert.Equal(new ConfigRenderer().Render(Samples.HttpFull()), fromDirectory.Render(Samples.HttpFull()));
    }

    [Fact]
    public void TemplatesDirectory_OperatorChange_IsRendered()
    {
        using var directory = CopyOfRepositoryTemplates();
        var global = directory.File("global.scriban");
        File.WriteAllText(global, File.ReadAllText(global) + "    nbthread 2\n");

        var text = new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = directory.Path }).Render(Samples.HttpFull());

        Assert.Contains("    maxconn 4096\n    nbthread 2\n\ndefaults\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatesDirectory_WithoutLoadBalancerTemplate_FailsAtConstruction()
    {
        using var directory = CopyOfRepositoryTemplates();
        File.Delete(directory.File("loadbalancer.scriban"));

        var error = Assert.Throws<InvalidOperationException>(() => new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = directory.Path }));
        Assert.Contains("loadbalancer.scriban", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateSet_SyntaxError_FailsAtLoad()
    {
        var texts = BuiltInTexts();
        texts["stats.scriban"] = "frontend stats\n{{ if }}\n";

        var error = Assert.Throws<InvalidOperationException>(() => TemplateSet.FromTexts(texts));
        Assert.Contains("stats.scriban", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MisspeltVariable_Throws()
    {
        var texts = BuiltInTexts();
        texts["stats.scriban"] = "frontend stats\n    bind {{ stats.bnid }}\n";

        Assert.ThrowsAny<ScriptRuntimeException>(() => new ConfigRenderer(TemplateSet.FromTexts(texts)).Render(Samples.HttpFull()));
    }

    [Fact]
    public void Render_IncludeOfMissingTemplate_Throws()
    {
        var texts = BuiltInTexts();
        texts["stats.scriban"] = "{{ include 'nowhere.scriban' }}\n";

        Assert.ThrowsAny<Exception>(() => new ConfigRenderer(TemplateSet.FromTexts(texts)).Render(Samples.HttpFull()));
    }

    private static Dictionary<string, string> BuiltInTexts() => TemplateSet.BuiltIn.Texts.ToDictionary(p => p.Key, p => p.Value);

    internal static TempDirectory CopyOfRepositoryTemplates()
    {
        var directory = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(RepositoryTemplates))
        {
            File.Copy(file, directory.File(Path.GetFileName(file)));
        }
        return directory;
    }
}
