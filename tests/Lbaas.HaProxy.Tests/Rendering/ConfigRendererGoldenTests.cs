using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Validation;

namespace Lbaas.HaProxy.Tests.Rendering;

public sealed class ConfigRendererGoldenTests
{
    // haproxy -c may only complain that the (fixed, absent) server-state file cannot be read.
    private const string MissingStateFileWarning = "Can't open global server state file";

    private readonly ConfigRenderer _renderer = new();

    public static TheoryData<string> SampleNames => new(Samples.All.Keys);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public async Task Render_Sample_MatchesGoldenAndPassesHaProxyCheck(string name)
    {
        var text = _renderer.Render(Samples.All[name]);

        Golden.Verify(name, text);
        await AssertHaProxyAccepts(text);
    }

    [Fact]
    public async Task RenderLoadBalancer_OneOfSeveral_MatchesGoldenAndEqualsItsSectionsInTheWholeFile()
    {
        var model = Samples.HttpFull() with { LoadBalancers = [.. Samples.HttpFull().LoadBalancers, Samples.Lb(43, 10081)] };

        var preview = _renderer.RenderLoadBalancer(model, 42);

        Golden.Verify("preview_lb_42.cfg", preview);
        Assert.Contains(preview, _renderer.Render(model), StringComparison.Ordinal);
        Assert.DoesNotContain("lb_43", preview, StringComparison.Ordinal);
        await AssertHaProxyAccepts(_renderer.Render(model with { LoadBalancers = [model.LoadBalancers[0]] }));
    }

    [Fact]
    public void RenderLoadBalancer_UnknownId_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => _renderer.RenderLoadBalancer(Samples.HttpFull(), 999));
    }

    private static async Task AssertHaProxyAccepts(string text)
    {
        var result = await new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require() }).ValidateTextAsync(text);

        Assert.True(result.IsValid, result.Output);
        Assert.Empty(result.Alerts);
        Assert.All(result.Warnings, w => Assert.Contains(MissingStateFileWarning, w, StringComparison.Ordinal));
    }
}
