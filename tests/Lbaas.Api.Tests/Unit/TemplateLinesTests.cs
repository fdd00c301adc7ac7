using Lbaas.Api.Tests.Fuzz;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Unit;

/// <summary>The line-shape check of the fuzz suite can pass and can fail: the renderer's golden files pass, injected lines do not.</summary>
public sealed class TemplateLinesTests
{
    private static readonly TemplateLines Shapes = TemplateLines.From(Path.Combine(Repository.Root, "templates"));

    [Fact]
    public void Produces_EveryLineOfTheRenderersGoldenFiles_True()
    {
        var golden = Directory.GetFiles(Path.Combine(Repository.Root, "tests", "Lbaas.HaProxy.Tests", "Rendering", "golden"), "*.cfg");
        Assert.NotEmpty(golden);
        foreach (var file in golden)
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Trim().Length > 0))
            {
                Assert.True(Shapes.Produces(line), $"{Path.GetFileName(file)}: no shape for '{line}'");
            }
        }
    }

    [Theory]
    [InlineData("    server evil 127.0.0.1:1 weight 1")]
    [InlineData("    server b_1 127.0.0.1:1 weight 1 # injected")]
    [InlineData("    server b_1 127.0.0.1:1 weight 1 backup evil")]
    [InlineData("    http-check send meth GET uri '/a' b'")]
    [InlineData("    http-check send meth GET uri '/a")]
    [InlineData("    bind 127.0.0.1:80 ssl crt /etc/passwd")]
    [InlineData("    errorfile 503 /etc/passwd")]
    [InlineData("b'")]
    [InlineData("frontend lb_1 x")]
    [InlineData("    timeout client %[src]")]
    public void Produces_InjectedLine_False(string line) => Assert.False(Shapes.Produces(line), line);
}
