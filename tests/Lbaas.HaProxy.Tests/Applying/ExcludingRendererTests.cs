using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Applying;

public sealed class ExcludingRendererTests
{
    private static readonly ConfigRenderer Renderer = new();

    [Fact]
    public void Render_LoadBalancerOnTheStatsPort_ThatLoadBalancerIsLeftOut()
    {
        var model = Model(Lb(1, 10080), Lb(2, 8404));
        var excluded = new List<ExcludedLoadBalancer>();

        var (rendered, text) = ExcludingRenderer.Render(Renderer, model, excluded);

        Assert.Equal(2, Assert.Single(excluded).Id);
        Assert.Equal([1L], rendered.LoadBalancers.Select(lb => lb.Id));
        Assert.Contains("frontend lb_1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lb_2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeveralBadLoadBalancers_EachLeftOutWithItsOwnReason()
    {
        var model = Model(
            Lb(1, 10080, Server(1, 80, host: "bad host")),
            Lb(2, 10081),
            Lb(3, 10081),
            Lb(4, 10082) with { BindAddress = "localhost" });
        var excluded = new List<ExcludedLoadBalancer>();

        var (rendered, _) = ExcludingRenderer.Render(Renderer, model, excluded);

        Assert.Equal([2L], rendered.LoadBalancers.Select(lb => lb.Id));
        Assert.Equal([1L, 3L, 4L], excluded.Select(e => e.Id).Order());
        Assert.Contains("host", excluded.Single(e => e.Id == 1).Reason, StringComparison.Ordinal);
        Assert.Contains("overlaps lb_2", excluded.Single(e => e.Id == 3).Reason, StringComparison.Ordinal);
        Assert.Contains("bind_address", excluded.Single(e => e.Id == 4).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GlobalValueRefused_ThrowsInsteadOfBlamingALoadBalancer()
    {
        var model = Model(Lb(1, 10080)) with { Global = Global with { AdminSocketPath = "relative.sock" } };

        var e = Assert.Throws<ConfigValueException>(() => ExcludingRenderer.Render(Renderer, model, new List<ExcludedLoadBalancer>()));

        Assert.StartsWith("global.", e.Field, StringComparison.Ordinal);
    }
}
