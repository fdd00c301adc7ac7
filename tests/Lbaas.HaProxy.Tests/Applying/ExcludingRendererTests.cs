using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;

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
            Lb(1, 10080) with { Servers = [new ServerModel { Id = 1, Host = "bad host", Port = 80 }] },
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
        var model = Model(Lb(1, 10080)) with { Global = new GlobalSettings { AdminSocketPath = "relative.sock", ServerStateFile = "/run/state" } };

        var e = Assert.Throws<ConfigValueException>(() => ExcludingRenderer.Render(Renderer, model, new List<ExcludedLoadBalancer>()));

        Assert.StartsWith("global.", e.Field, StringComparison.Ordinal);
    }

    private static ConfigModel Model(params LoadBalancerModel[] loadBalancers) => new()
    {
        Global = new GlobalSettings { AdminSocketPath = "/run/lbaas/admin.sock", ServerStateFile = "/run/lbaas/state" },
        LoadBalancers = loadBalancers,
    };

    private static LoadBalancerModel Lb(long id, int port) => new() { Id = id, BindAddress = "127.0.0.1", Port = port };
}
